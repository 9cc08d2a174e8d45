package org.yax.spark.fs;

import java.io.IOException;

/** Test access to {@link HadoopStaging}'s rename hook (package-private in main code). */
public final class HadoopStagingAccess {
    private HadoopStagingAccess() { }

    /** Called after a file is complete under its temporary name, before it is renamed to {@code target}. */
    public interface Hook {
        void beforeRename(String temporary, String target) throws IOException;
    }

    public static void onRename(HadoopStaging staging, Hook hook) {
        staging.setRenameHook(hook::beforeRename);
    }
}
