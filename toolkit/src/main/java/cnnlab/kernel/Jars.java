package cnnlab.kernel;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.magic.MagicEngine;
import org.rapaio.jupyter.kernel.core.magic.MagicEvalException;
import org.rapaio.jupyter.kernel.core.magic.MagicHandler;
import org.rapaio.jupyter.kernel.core.magic.MagicSnippet;
import org.rapaio.jupyter.kernel.core.magic.SnippetMagicHandler;
import org.rapaio.jupyter.kernel.core.magic.handlers.JarMagicHandler;

/**
 * {@code %jars} as IJava has it: silent when the jar is added, and an error a student can act on when it is not.
 *
 * <p>3.0.1's own {@code %jars} printed a green "Add /home/.../notebooks/../toolkit/target/cnnlab-toolkit.jar to
 * classpath" at the top of every notebook, and for a toolkit not built yet it said only "Provided path does not
 * exist". This handler takes its place in 3.0.1's list of magics and keeps its syntax, help and path completion:
 * {@code %jar path} or {@code %jars path} (a jar, or a folder whose jars are all added) and a {@code %%jars} cell
 * with one path a line. Relative paths are the notebook's folder's. Every path is checked before any is added.
 */
final class Jars extends MagicHandler {
    private static final Logger LOGGER = Logger.getLogger(Jars.class.getName());
    private static final Pattern LINE = Pattern.compile("%jars?\\s+(.*)", Pattern.DOTALL);

    private final MagicHandler original;

    private Jars(MagicHandler original) {
        this.original = original;
    }

    /** Puts this handler in place of 3.0.1's {@code %jars} in the kernel's list of magics. */
    @SuppressWarnings("unchecked")
    static void install() {
        try {
            Field f = MagicEngine.class.getDeclaredField("magicHandlers");
            f.setAccessible(true);
            List<MagicHandler> handlers = (List<MagicHandler>) f.get(null);
            handlers.replaceAll(h -> h instanceof JarMagicHandler ? new Jars(h) : h);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOGGER.warning("cnnlab: %jars keeps rapaio's form (" + e + ")");
        }
    }

    @Override
    public String name() {
        return original.name();
    }

    @Override
    public List<String> helpMessage() {
        return original.helpMessage();
    }

    @Override
    public boolean canHandleSnippet(MagicSnippet snippet) {
        return original.canHandleSnippet(snippet);
    }

    @Override
    public List<SnippetMagicHandler> snippetMagicHandlers() {
        return original.snippetMagicHandlers().stream().map(h -> new SnippetMagicHandler(h.type(), h.syntaxMatcher(),
                h.syntaxHelp(), h.syntaxPrefix(), h.documentation(), h.canHandlePredicate(),
                (kernel, snippet) -> add(kernel, snippet), h.inspectFunction(), h.completeFunction())).toList();
    }

    private static Object add(RapaioKernel kernel, MagicSnippet snippet) throws MagicEvalException {
        List<String> paths = paths(snippet.lines().stream().map(MagicSnippet.CodeLine::code).toList());
        if (paths == null) {
            throw new MagicEvalException(snippet, "%jars: write the path of a jar after it: %jars path/to/file.jar");
        }
        Function<String, Path> resolve = p -> kernel.executionContext().getRelativePath(Path.of(p));
        List<Path> jars = new ArrayList<>();
        for (String p : paths) {
            List<Path> found = new ArrayList<>();
            String problem = jarsAt(resolve.apply(p), found);
            if (problem != null) {
                throw new MagicEvalException(snippet, problem);
            }
            jars.addAll(found);
        }
        jars.forEach(jar -> kernel.javaEngine().getShell().addToClasspath(jar.toString()));
        if (jars.stream().anyMatch(j -> j.getFileName().toString().startsWith("cnnlab-toolkit"))) {
            toolkitAdded = true;
        }
        return null;
    }

    /** Whether a {@code %jars} of this kernel has added the toolkit's jar ({@link KernelMends#notImported}). */
    static volatile boolean toolkitAdded;

    /**
     * The paths a {@code %jars} line or a {@code %%jars} cell names, blank lines left out; null when there are
     * none or the cell does not start with a {@code %jars}.
     */
    static List<String> paths(List<String> lines) {
        if (lines.isEmpty()) {
            return null;
        }
        String first = lines.get(0).strip();
        List<String> paths = new ArrayList<>();
        if (first.equals("%%jars")) {
            lines.subList(1, lines.size()).stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(paths::add);
        } else {
            Matcher m = LINE.matcher(first);
            if (lines.size() != 1 || !m.matches() || m.group(1).isBlank()) {
                return null;
            }
            paths.add(m.group(1).strip());
        }
        return paths.isEmpty() ? null : paths;
    }

    /**
     * Adds to {@code found} the jar at {@code path}, or every jar in the folder it names, and returns null; or
     * returns what is wrong, with the path made absolute and, only in the message, without its {@code ..}s (the
     * file system resolves a {@code ..} after a symbolic link where the link points, not where the text does).
     */
    static String jarsAt(Path path, List<Path> found) {
        return jarsAt(path, found, System.getenv("CNNLAB_HOME"), Path.of("").toAbsolutePath());
    }

    /**
     * As {@link #jarsAt(Path, List)}, with the kernel's cnnlab folder ({@code CNNLAB_HOME}, or null) and its working
     * folder (the notebook's) given.
     */
    /** The path as the file system has it (through symbolic links), or as written where it does not exist. */
    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (java.io.IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    static String jarsAt(Path path, List<Path> found, String home, Path notebookFolder) {
        Path p = path.toAbsolutePath(), shown = p.normalize();
        if (Files.isDirectory(p)) {
            File[] jars = p.toFile().listFiles(f -> f.isFile() && f.getName().endsWith(".jar"));
            if (jars == null || jars.length == 0) {
                return "%jars: no .jar file in the folder " + shown;
            }
            Arrays.sort(jars);
            for (File jar : jars) {
                found.add(jar.toPath());
            }
            return null;
        }
        if (!Files.exists(p)) {
            String missing = "%jars: no such file: " + shown;
            if (shown.getFileName() == null || !shown.getFileName().toString().startsWith("cnnlab-toolkit")) {
                return missing;
            }
            // the kernel knows its cnnlab folder: a built toolkit there means the notebook is somewhere else
            Path built = home == null ? null : Path.of(home, "toolkit", "target", shown.getFileName().toString());
            if (built != null && Files.isRegularFile(built)) {
                Path homePath = real(Path.of(home)), here = real(notebookFolder);
                return here.startsWith(homePath)
                        ? missing + "\nThe toolkit is built, at " + built + ": this cell's path does not lead there"
                        + " (from this notebook's folder: %jars " + here.relativize(real(built)) + ")"
                        : missing + "\nThis notebook is not in a folder inside the cnnlab folder (" + home + "), where"
                        + " ../toolkit/ would find the toolkit: move it into " + Path.of(home, "my-labs") + " (or"
                        + " notebooks/), or write the toolkit's whole path in this cell: %jars " + built;
            }
            return missing + "\nThe toolkit is not built yet: run ./cnnlab setup in the cnnlab folder, then run"
                    + " this cell again.";
        }
        if (!p.getFileName().toString().endsWith(".jar")) {
            return "%jars: not a .jar file: " + shown;
        }
        found.add(p);
        return null;
    }
}
