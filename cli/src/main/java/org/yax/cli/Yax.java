package org.yax.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The yax command line: {@code yax reconstruct ...}. */
@Command(name = "yax", mixinStandardHelpOptions = true, versionProvider = Yax.VersionProvider.class,
        subcommands = {ReconstructCommand.class, EvalCommand.class, BenchCommand.class, MacroCommand.class,
                TrainCommand.class, ModelsCommand.class, NetworkBenchCommand.class},
        description = "Reconstructs DICOM and GDAL raster images from degraded measurements y = A x + e.",
        footer = {"", "Exit codes: 0 all done, 1 fatal error, 2 usage error, 3 some inputs failed (the rest done), "
                + "130 interrupted."})
public final class Yax {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FATAL = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_PARTIAL = 3;
    /** 128 + SIGINT, what shells report for a Ctrl-C'd program. */
    public static final int EXIT_INTERRUPTED = 130;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests and embedding). */
    public static int run(String... args) {
        return execute(new Yax(), args);
    }

    /**
     * Runs {@code command} (a picocli command object, e.g. a face outside this module such as {@code yax spark})
     * with yax's exit codes and error handling, and returns the exit code.
     */
    public static int execute(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_FATAL);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UsageException) {
                commandLine.getErr().println("yax: " + e.getMessage());
                commandLine.getErr().println("Try 'yax " + commandLine.getCommandName() + " --help'.");
                return EXIT_USAGE;
            }
            commandLine.getErr().println("yax: fatal: " + oneLine(e));
            if (Boolean.getBoolean("yax.debug")) {
                e.printStackTrace(commandLine.getErr());
            }
            return EXIT_FATAL;
        });
        cl.getSubcommands().values().forEach(sub -> sub.setExitCodeExceptionMapper(cl.getExitCodeExceptionMapper()));
        return cl.execute(args);
    }

    /** A throwable's message on one line, with its type when the message alone says too little. */
    public static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** A bad combination of options that picocli's parser cannot see. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"yax " + org.yax.core.Version.get()};
        }
    }
}
