package cnnlab.check;

import java.util.regex.Pattern;

/**
 * Names as the student wrote them, not as JShell compiled them: for the kernel's errors and the checks' messages.
 * The kernel's own jar holds this class too (toolkit/pom.xml), so it must depend on nothing but the JDK.
 */
public final class JShellNames {
    private JShellNames() {
    }

    /** JShell's class around a cell's variable or class, as a helpful NullPointerException names it. */
    private static final Pattern WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\w+[.$]");

    /**
     * A message without JShell's wrapper classes: {@code "REPL.$JShell$10.s" is null} becomes {@code "s" is null},
     * and {@code "REPL.$JShell$11$MyConv.cache"} becomes {@code "MyConv.cache"}.
     */
    public static String withoutWrappers(String message) {
        return WRAPPER.matcher(message).replaceAll("");
    }
}
