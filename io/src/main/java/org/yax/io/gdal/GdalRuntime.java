package org.yax.io.gdal;

import org.gdal.gdal.gdal;
import org.gdal.gdal.gdalJNI;
import org.gdal.gdalconst.gdalconst;

/**
 * One-time GDAL initialisation and quiet error capture.
 *
 * <p>GDAL 3.6's Java bindings report most failures through return codes and the thread-local
 * "last error", not exceptions; errors also go to stderr unless a quiet handler is pushed. The handler
 * stack and the last error are per thread in GDAL, so {@link #pushQuiet} is safe to call concurrently.
 * Public for the DICOM reader, which decodes JPEG 2000 frames with GDAL's OpenJPEG driver.
 */
public final class GdalRuntime {
    /** GDAL's raster block cache lives in native memory outside -Xmx: cap it unless the user set one. */
    static final int DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;

    private GdalRuntime() { }

    /** Lazy holder: the JVM runs this class's initialiser once, thread-safely. */
    private static final class Init {
        static final String PROBLEM = initialise();

        private static String initialise() {
            try {
                if (!gdalJNI.isAvailable()) {
                    return "the GDAL native library libgdalalljni.so was not found on java.library.path ("
                            + System.getProperty("java.library.path") + ")";
                }
                gdal.AllRegister();
                if (!userSetCache()) {
                    gdal.SetCacheMax(DEFAULT_CACHE_BYTES);
                }
                return null;
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                return "the GDAL native library could not be loaded: " + e.getMessage();
            }
        }
    }

    private static boolean userSetCache() {
        return System.getenv("GDAL_CACHEMAX") != null || System.getProperty("GDAL_CACHEMAX") != null;
    }

    /**
     * Lowers GDAL's block cache (global to the process) to at most {@code bytes}, unless the user chose a
     * size with GDAL_CACHEMAX; never raises it, so concurrent callers keep the smallest cap.
     */
    static synchronized void capCache(long bytes) {
        if (!userSetCache() && gdal.GetCacheMax() > bytes) {
            gdal.SetCacheMax((int) Math.min(bytes, Integer.MAX_VALUE));
        }
    }

    /** Null if GDAL is usable, otherwise why not (one line). */
    public static String problem() {
        return Init.PROBLEM;
    }

    public static boolean available() {
        return Init.PROBLEM == null;
    }

    /** Starts a section whose GDAL errors are recorded but not printed; pair with {@link #popQuiet}. */
    public static void pushQuiet() {
        gdal.PushErrorHandler("CPLQuietErrorHandler");
        gdal.ErrorReset();
    }

    public static void popQuiet() {
        gdal.PopErrorHandler();
    }

    /** GDAL's last error message on this thread, or {@code fallback} when GDAL said nothing. */
    public static String lastError(String fallback) {
        String msg = gdal.GetLastErrorMsg();
        if (msg == null || msg.isBlank()) {
            return fallback;
        }
        return msg.strip().replaceAll("\\s+", " ");
    }

    /** Whether the last error on this thread is a failure (not merely a warning). */
    static boolean lastCallFailed() {
        return gdal.GetLastErrorType() >= gdalconst.CE_Failure;
    }
}
