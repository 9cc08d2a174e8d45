package org.yax.spark;

import java.io.Serializable;
import java.util.List;
import org.yax.io.RunStamp;
import org.yax.spark.fs.HadoopStaging;

/**
 * What every task of one {@code yax spark} job needs to rebuild the driver's recipe in its executor JVM: the command
 * line's arguments (parsed there by the same options as {@code yax reconstruct}, so the engine is configured exactly
 * as locally), the folders as absolute paths, the run's stamp and the test hook.
 *
 * @param args          the {@code yax spark} arguments as given
 * @param outputRoot    the output folder, absolute (a path every executor sees: local mode, NFS)
 * @param referenceRoot the --reference folder, absolute, or null
 * @param stamp         the run (derived UIDs, creation time; recorded in the resume manifest by the driver)
 * @param hook          the failure hook (off outside tests)
 * @param staging       non-null when inputs or the output are on a Hadoop file system ({@code hdfs://}, {@code s3a://},
 *                      ...): each task then copies its item to local space, reconstructs it there and publishes the
 *                      result to {@code outputRoot} (a URI) with temporary names and renames; null for plain paths
 */
public record JobSpec(List<String> args, String outputRoot, String referenceRoot, RunStamp stamp, FailureHook hook,
                      HadoopStaging staging) implements Serializable {
    private static final long serialVersionUID = 1L;

    public JobSpec {
        args = List.copyOf(args);
    }

    /** A job on plain paths (read in place, published by rename in the output folder). */
    public JobSpec(List<String> args, String outputRoot, String referenceRoot, RunStamp stamp, FailureHook hook) {
        this(args, outputRoot, referenceRoot, stamp, hook, null);
    }

    /** Whether items are staged to local space and published to a Hadoop file system. */
    boolean staged() {
        return staging != null;
    }

    /** One executor state per distinct job: the same arguments, folders and run share an engine and a model. */
    String key() {
        return stamp.runId() + "\u0000" + outputRoot + "\u0000" + referenceRoot + "\u0000" + String.join("\u0000", args);
    }

    /** The staging folder of the run: attempts write below it, the driver removes it at the end. */
    String stagingRoot() {
        return java.nio.file.Path.of(outputRoot).resolve(org.yax.io.AtomicFiles.TEMP_PREFIX + "staging-"
                + stamp.runId()).toString();
    }
}
