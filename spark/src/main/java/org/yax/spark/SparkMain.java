package org.yax.spark;

/**
 * Entry point of {@code yax spark} (the ./yax launcher routes the subcommand here, with Spark on the classpath) and of
 * {@code spark-submit --class org.yax.spark.SparkMain yax-spark.jar INPUT... -o OUTDIR [options]}. A first argument
 * {@code spark} is accepted and ignored, so both spellings work.
 */
public final class SparkMain {
    private SparkMain() { }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        if (args.length > 0 && args[0].equals("spark")) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        // Spark logs at INFO through slf4j; the user reads the progress line: warnings and errors only, unless asked
        quiet("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // known noise of an embedded run: no native Hadoop library (not needed), the executor's last heartbeat racing
        // the context's stop
        quiet("org.slf4j.simpleLogger.log.org.apache.hadoop.util.NativeCodeLoader", "error");
        quiet("org.slf4j.simpleLogger.log.org.apache.spark.executor.Executor", "error");
        quiet("org.slf4j.simpleLogger.log.org.apache.spark.rpc.netty.NettyRpcEnv", "error");
        return org.yax.cli.Yax.execute(new SparkCommand().withArgs(args), args);
    }

    private static void quiet(String property, String level) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, level);
        }
    }
}
