package cnnlab.bench;

import java.util.Collection;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/** JMH output reduced to one line per finished benchmark (and any error JMH reports), as progress. */
final class Progress implements OutputFormat {
    private final int total;
    private int done;

    Progress(int total) {
        this.total = total;
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        done++;
        BenchmarkParams p = result.getParams();
        String method = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
        var r = result.getPrimaryResult();
        double ms = r.getStatistics().getPercentile(50);
        Bench.say("  [%2d/%d] %-9s %-9s %-15s %10.3f ms", done, total, p.getParam("engine"), method,
                p.getParam("shape"), ms);
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration,
                                IterationResult data) {
    }

    @Override
    public void startRun() {
    }

    @Override
    public void endRun(Collection<RunResult> result) {
    }

    @Override
    public void print(String s) {
        passErrors(s);
    }

    @Override
    public void println(String s) {
        passErrors(s);
    }

    @Override
    public void verbosePrintln(String s) {
    }

    /** JMH's banners are dropped; errors from a benchmark or a forked JVM are shown. */
    private static void passErrors(String s) {
        if (s.contains("Exception") || s.contains("ERROR") || s.contains("Error:")) {
            System.err.println(s);
        }
    }

    @Override
    public void write(int b) {
    }

    @Override
    public void write(byte[] b) {
    }

    @Override
    public void flush() {
        System.out.flush();
    }

    @Override
    public void close() {
    }
}
