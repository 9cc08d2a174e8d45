package org.yax.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yax.cli.bench.BenchImage;
import org.yax.cli.bench.MachineInfo;
import org.yax.cli.bench.SkimageReference;
import org.yax.cli.bench.Timings;
import org.yax.core.Progress;
import org.yax.core.op.FourierSampling;
import org.yax.core.op.HostPool;
import org.yax.core.op.Identity;
import org.yax.core.op.SamplingMask;
import org.yax.core.solve.ComputePath;
import org.yax.core.solve.FistaTv;
import org.yax.core.solve.NonLocalMeans;
import org.yax.core.solve.SolverResult;
import org.yax.core.solve.StoppingRule;
import org.yax.core.solve.TvPdhg;
import org.yax.core.task.Solvers;
import org.yax.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code yax bench}: iterations per second of the TV solvers with fixed iteration counts (tolerance 0), next to
 * scikit-image's denoise_tv_chambolle on the same pixels. Prints numbers; it is not a test and checks no speed.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures iterations per second of TV-FISTA and TV-PDHG denoising (the engine's path and the "
                + "fused host kernels side by side) and PDHG-TV MRI (fixed iteration counts, after warm-up, "
                + "repeated) and of scikit-image's denoise_tv_chambolle on the same input, with CPU-time rates, the "
                + "memory bandwidth each iteration achieves and the machine's copy bandwidth, and prints a table."},
        footer = {"", "Run it in its own JVM: PyTorch reads the thread counts once, when its engine starts.",
                "Exit codes: 0 done, 1 fatal error, 2 usage error."})
final class BenchCommand implements Callable<Integer> {
    static final String NUM_THREADS = "ai.djl.pytorch.num_threads";
    static final String NUM_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

    /** TV-prox (dual) iterations per FISTA outer iteration: FistaTv's default. */
    static final int FISTA_INNER = 10;
    static final double NOISE_SIGMA = 0.1;
    /** TV weight for denoising: Reconstruction's 0.9 per unit of sigma. */
    static final double DENOISE_WEIGHT = 0.9 * NOISE_SIGMA;
    /** MRI: noise 1% of the phantom's range and TV weight 0.2 sigma, as yax eval --task mri uses them. */
    static final double MRI_SIGMA = 0.01;
    static final double MRI_WEIGHT = 0.2 * MRI_SIGMA;
    static final int MRI_ACCELERATION = 4;
    static final long SEED = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--threads", paramLabel = "N",
            description = "PyTorch intra-op and inter-op threads for yax, and OMP_NUM_THREADS / OPENBLAS_NUM_THREADS "
                    + "for scikit-image (default: each library's own default).")
    Integer threads;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "5",
            description = "Timed runs per workload (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1",
            description = "Untimed runs before them, at least (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "3",
            description = "Untimed runs go on until they have taken this long per workload (default: ${DEFAULT-VALUE}): "
                    + "the JIT compiles a kernel's threaded path only after thousands of calls, which two runs of "
                    + "a 512x512 solve do not make.")
    double warmupSeconds;

    @Option(names = "--sizes", paramLabel = "N,N...", split = ",", defaultValue = "512,2048",
            description = "Square image sizes for denoising (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "300",
            description = "TV-PDHG (and scikit-image) iterations per timed run; TV-FISTA runs a fifth as many outer "
                    + "iterations, each with " + FISTA_INNER + " inner ones (default: ${DEFAULT-VALUE}, the cap of a "
                    + "denoising solve).")
    int iterations;

    @Option(names = "--mri-size", paramLabel = "N", defaultValue = "256",
            description = "Square image size for PDHG-TV MRI, 4x variable density (default: ${DEFAULT-VALUE}).")
    int mriSize;

    @Option(names = "--nlm-size", paramLabel = "N", defaultValue = "512",
            description = "Side of the non-local means workload against scikit-image's fast mode (0: skip; default: "
                    + "${DEFAULT-VALUE}).")
    int nlmSize;

    @Option(names = "--path", paramLabel = "djl|host|both", defaultValue = "both",
            description = "Which CPU path of the TV solvers to time: the engine's (djl, many small PyTorch calls), the "
                    + "fused host kernels (host, what a CPU run uses), or both side by side (default: ${DEFAULT-VALUE}).")
    String path;

    @Option(names = "--no-skimage", description = "Do not run scikit-image.")
    boolean noSkimage;

    @Option(names = "--python", paramLabel = "PATH", defaultValue = "/usr/bin/python3",
            description = "Python with numpy and scikit-image (default: ${DEFAULT-VALUE}).")
    Path python;

    /** What the NLM reference run reported (versions and settings), once it ran. */
    private String nlmReferenceVersions;

    @Option(names = "--report", paramLabel = "FILE.json|FILE.csv", description = "Also write the rows as a report.")
    Path reportFile;

    /**
     * Bytes one TV iteration of the host kernels reads and writes when it makes a pass of its own, per pixel
     * (float32, neighbours' reads served by the cache): PDHG 2-D denoise (PlaneTvPdhg): reads x-bar, p (2
     * components), x, y and writes p, x-bar, x: 4 x (1 + 2 + 1 + 1) + 4 x (2 + 1 + 1) = 36. The kernels run several
     * iterations per pass (RowPipeline), so the traffic they cause is a fraction of this.
     */
    static final double PDHG_BYTES_PER_PIXEL = 36;
    /**
     * FISTA 2-D denoise per inner (TV) iteration, one fused pass (PlaneTvProx; u stays in line buffers): reads v,
     * r (2 components), p (2) and writes r, p: 4 x (1 + 2 + 2) + 4 x (2 + 2) = 36; plus the outer step's passes
     * for A = I (v = z - step (z - y): 12 bytes; x = v - w D^H p: 16; momentum: 12; the warm start reads p in place
     * of r: 40 bytes per pixel per outer iteration, 4 per inner at 10).
     */
    static final double FISTA_BYTES_PER_PIXEL = 36 + 40.0 / FISTA_INNER;

    /** Process CPU times below this (two ticks of Linux's 100 Hz clock) are not measurements. */
    static final double CPU_CLOCK_RESOLUTION = 0.02;

    /** One line of the table. */
    record Row(String workload, int size, int iterations, int innerPerOuter, Timings timings, Timings reference,
               double bytesPerTvIteration, Timings cpu, Timings referenceCpu) {
        Row(String workload, int size, int iterations, int innerPerOuter, Timings timings, Timings reference) {
            this(workload, size, iterations, innerPerOuter, timings, reference, Double.NaN, null, null);
        }

        /**
         * TV iterations per CPU second of the process (median run), NaN if not measured or if the median run is
         * shorter than {@link #CPU_CLOCK_RESOLUTION}: the JVM's process CPU time advances in scheduler ticks, so a
         * 64 x 64 solve of a few milliseconds read 0 and printed billions of iterations per CPU second.
         */
        double cpuTvRate() {
            return cpu == null || cpu.medianSeconds() < CPU_CLOCK_RESOLUTION ? Double.NaN
                    : cpu.medianRate() * innerPerOuter;
        }

        /** The same ratio as {@link #ratio} in CPU time: robust to other processes on a loaded machine. */
        double cpuRatio() {
            return referenceCpu == null ? Double.NaN : cpuTvRate() / referenceCpu.medianRate();
        }

        /** GB/s the TV iterations move (the host kernels' minimal traffic over the measured time), NaN if unknown. */
        double gigabytesPerSecond() {
            return bytesPerTvIteration * tvRate() / 1e9;
        }

        /** TV iterations per second: outer iterations times inner ones for FISTA. */
        double tvRate() {
            return timings.medianRate() * innerPerOuter;
        }

        /** yax's TV iterations per second over scikit-image's, NaN without a reference. */
        double ratio() {
            return reference == null ? Double.NaN : tvRate() / reference.medianRate();
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        validate();
        // before anything loads the engine: PyTorch reads these once, at engine start
        if (threads != null) {
            System.setProperty(NUM_THREADS, threads.toString());
            System.setProperty(NUM_INTEROP_THREADS, threads.toString());
            HostPool.setThreads(threads);
        }
        String date = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String loadBefore = MachineInfo.loadAverage();
        Engine engine = Engine.getInstance();
        int[] torchThreads = torchThreads();
        if (threads != null && (torchThreads[0] != threads || torchThreads[1] != threads)) {
            throw new IllegalStateException("PyTorch runs " + torchThreads[0] + " intra-op and " + torchThreads[1]
                    + " inter-op threads, not the " + threads + " asked for: its engine started before yax bench "
                    + "could set them (run yax bench in a JVM of its own)");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<String> header = new ArrayList<>();
        header.add("yax bench: iterations/s, median of " + repeats + " timed runs after at least " + warmup
                + " warm-up run(s) and " + warmupSeconds + " s of them (yax; scikit-image: " + warmup
                + " warm-up run(s)); min/max = slowest/fastest run");
        header.add("command:   " + command());
        header.add("JVM args:  " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        header.add("date:      " + date);
        header.add("machine:   " + MachineInfo.cores() + " cores, " + MachineInfo.cpuModel() + ", "
                + MachineInfo.memory() + ", load average " + loadBefore + " at start");
        header.add("JVM:       " + MachineInfo.jvm());
        header.add("yax:       " + org.yax.core.Version.get() + ", DJL " + Engine.getDjlVersion() + ", "
                + engine.getEngineName() + " " + engine.getVersion() + " on " + engine.defaultDevice()
                + ", intra-op threads " + torchThreads[0] + ", inter-op threads " + torchThreads[1]
                + (threads == null ? " (defaults)" : " (--threads " + threads + ")") + "; host kernels "
                + HostPool.threads() + " thread(s)");
        // OpenMP settings change the multi-threaded numbers a lot on a busy machine (spinning vs sleeping waits)
        String ompEnv = Stream.of("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "KMP_BLOCKTIME")
                .filter(v -> System.getenv(v) != null).map(v -> v + "=" + System.getenv(v))
                .collect(Collectors.joining(" "));
        header.add("env:       " + (ompEnv.isEmpty() ? "no OpenMP variables set" : ompEnv));
        header.add(String.format(Locale.ROOT, "input:     modified Shepp-Logan phantom in [0, 1] + Gaussian noise "
                + "sigma %.2g (seed %d); TV weight %.3g", NOISE_SIGMA, SEED, DENOISE_WEIGHT));
        List<Double> copySamples = new ArrayList<>();
        copySamples.add(MachineInfo.copyBandwidth(HostPool.threads()));
        header.add(String.format(Locale.ROOT, "copy:      %.2f GB/s (best of 5 float copies of 64 MiB on %d thread(s), "
                + "bytes read + written); load average %s after it; measured again after each size's yax runs, and "
                + "'of copy' uses the best so far", copySamples.get(0) / 1e9, HostPool.threads(),
                MachineInfo.loadAverage()));
        header.forEach(out::println);
        out.flush();
        List<ComputePath> paths = switch (path) {
            case "djl" -> List.of(ComputePath.DJL);
            case "host" -> List.of(ComputePath.HOST);
            default -> List.of(ComputePath.DJL, ComputePath.HOST);
        };

        List<Row> rows = new ArrayList<>();
        List<String> scaling = new ArrayList<>();
        String referenceVersions = null;
        nlmReferenceVersions = null;
        Path work = Files.createTempDirectory("yax-bench-");
        try (NDManager base = NDManager.newBaseManager(engine.defaultDevice())) {
            SkimageReference skimage = noSkimage ? null : new SkimageReference(python, work, threads);
            out.printf(Locale.ROOT, "%n%-46s %-10s %6s %10s %9s %9s %10s %10s %8s %7s %10s %8s%n", "workload", "size",
                    "iters", "it/s med", "min", "max", "TV it/s", "vs skimage", "GB/s", "of copy", "TV it/cpu-s",
                    "vs sk cpu");
            for (int size : sizes) {
                float[] noisy = BenchImage.noisyPhantom(size, NOISE_SIGMA, SEED);
                Shape shape = new Shape(size, size);
                int n = denoiseIterations();
                int outer = fistaIterations();
                List<Timings[]> fista = new ArrayList<>();
                List<Timings[]> pdhg = new ArrayList<>();
                // the host kernels on one thread as well, alternated with the asked count: the scaling side by side
                Timings[] fistaOneThread = null;
                Timings[] pdhgOneThread = null;
                // and as many one-thread solves at once as threads: what the machine gives work that shares nothing
                Timings[] fistaAtOnce = null;
                Timings[] pdhgAtOnce = null;
                for (ComputePath p : paths) {
                    ComputePath.set(p);
                    boolean alsoOneThread = p == ComputePath.HOST && HostPool.threads() > 1;
                    int[] counts = alsoOneThread ? new int[] {HostPool.threads(), 1} : new int[] {HostPool.threads()};
                    Timings[][] f = measureThreads(base, outer, m -> {
                        NDArray y = m.create(noisy, shape);
                        return () -> new FistaTv(DENOISE_WEIGHT, new StoppingRule(outer, 0, outer), FISTA_INNER)
                                .solve(new Identity(shape), y, y, Progress.NONE);
                    }, counts, alsoOneThread);
                    Timings[][] d = measureThreads(base, n, m -> {
                        NDArray y = m.create(noisy, shape);
                        return () -> new TvPdhg(DENOISE_WEIGHT, new StoppingRule(n, 0, n))
                                .solve(new Identity(shape), y, y, Progress.NONE);
                    }, counts, alsoOneThread);
                    fista.add(f[0]);
                    pdhg.add(d[0]);
                    if (alsoOneThread) {
                        fistaOneThread = f[1];
                        pdhgOneThread = d[1];
                        fistaAtOnce = f[2];
                        pdhgAtOnce = d[2];
                    }
                }
                ComputePath.set(ComputePath.AUTO);
                copySamples.add(MachineInfo.copyBandwidth(HostPool.threads()));
                double copyBandwidth = copySamples.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                Timings reference = null;
                Timings referenceCpu = null;
                if (skimage != null) {
                    SkimageReference.Result r = skimage.timeTv(noisy, size, size, n, DENOISE_WEIGHT, warmup, repeats);
                    reference = r.timings();
                    referenceCpu = r.cpu();
                    referenceVersions = r.versions();
                }
                long pixels = (long) size * size;
                for (int k = 0; k < paths.size(); k++) {
                    String tag = " [" + paths.get(k).name().toLowerCase(Locale.ROOT) + "]";
                    rows.add(print(out, new Row("yax fista-tv denoise" + tag, size, outer, FISTA_INNER, fista.get(k)[0],
                            reference, FISTA_BYTES_PER_PIXEL * pixels, fista.get(k)[1], referenceCpu), copyBandwidth));
                    rows.add(print(out, new Row("yax pdhg-tv denoise" + tag, size, n, 1, pdhg.get(k)[0], reference,
                            PDHG_BYTES_PER_PIXEL * pixels, pdhg.get(k)[1], referenceCpu), copyBandwidth));
                }
                if (fistaOneThread != null) {
                    Row f1 = print(out, new Row("yax fista-tv denoise [host, 1 thr]", size, outer, FISTA_INNER,
                            fistaOneThread[0], reference, FISTA_BYTES_PER_PIXEL * pixels, fistaOneThread[1],
                            referenceCpu), copyBandwidth);
                    Row d1 = print(out, new Row("yax pdhg-tv denoise [host, 1 thr]", size, n, 1, pdhgOneThread[0],
                            reference, PDHG_BYTES_PER_PIXEL * pixels, pdhgOneThread[1], referenceCpu), copyBandwidth);
                    rows.add(f1);
                    rows.add(d1);
                    String atOnce = " [host, " + HostPool.threads() + " x 1 thr at once]";
                    rows.add(print(out, new Row("yax fista-tv denoise" + atOnce, size, outer * HostPool.threads(),
                            FISTA_INNER, fistaAtOnce[0], null, FISTA_BYTES_PER_PIXEL * pixels, fistaAtOnce[1], null),
                            copyBandwidth));
                    rows.add(print(out, new Row("yax pdhg-tv denoise" + atOnce, size, n * HostPool.threads(), 1,
                            pdhgAtOnce[0], null, PDHG_BYTES_PER_PIXEL * pixels, pdhgAtOnce[1], null), copyBandwidth));
                    Timings fistaN = fista.get(paths.indexOf(ComputePath.HOST))[0];
                    Timings pdhgN = pdhg.get(paths.indexOf(ComputePath.HOST))[0];
                    scaling.add(String.format(Locale.ROOT, "%dx%d: PDHG %.2fx, FISTA %.2fx (%d one-thread solves at "
                            + "once: PDHG %.2fx, FISTA %.2fx)", size, size,
                            pdhgN.medianRate() / pdhgOneThread[0].medianRate(),
                            fistaN.medianRate() / fistaOneThread[0].medianRate(), HostPool.threads(),
                            pdhgAtOnce[0].medianRate() / pdhgOneThread[0].medianRate(),
                            fistaAtOnce[0].medianRate() / fistaOneThread[0].medianRate()));
                }
                if (reference != null) {
                    rows.add(print(out, new Row("skimage tv_chambolle", size, n, 1, reference, null, Double.NaN,
                            referenceCpu, null), copyBandwidth));
                }
            }
            if (nlmSize > 0) {
                nlm(out, rows, skimage);
            }
            rows.add(print(out, mri(base), Double.NaN));
        } finally {
            deleteRecursively(work);
        }
        List<String> footer = List.of(
                "",
                "FISTA: it/s counts outer iterations, each with " + FISTA_INNER + " warm-started TV-prox (dual FGP) "
                        + "iterations; TV it/s = it/s x " + FISTA_INNER + ".",
                "vs skimage = yax TV it/s / skimage it/s at the same size on the same pixels (one TV iteration: a "
                        + "gradient, a divergence and a projection onto the dual ball).",
                "TV it/cpu-s = TV iterations per CPU second of the process (yax: the JVM, all threads; skimage: the "
                        + "Python process; - where the median run is under the CPU clock's 20 ms); vs sk cpu = their "
                        + "ratio. On a loaded machine wall-clock rates depend on "
                        + "the other processes, CPU rates much less.",
                "[djl] = the engine's path (many small PyTorch calls; main's CPU path before #17), [host] = the fused "
                        + "host kernels a CPU run takes now (ComputePath).",
                "GB/s = the bytes one TV iteration reads and writes on its own (PDHG " + (int) PDHG_BYTES_PER_PIXEL
                        + ", FISTA " + FISTA_BYTES_PER_PIXEL + " bytes per pixel) x TV it/s; of copy = that over the copy "
                        + "bandwidth above: an effective rate (for [djl] rows the same bytes; the [host] kernels run "
                        + "several iterations per pass over a large plane, so theirs can pass 100%).",
                "MRI: TvPdhg with FourierSampling.ofRealImage, " + MRI_ACCELERATION + "x variable-density lines "
                        + "(centre 8%), exact data proximal step by FFT; no scikit-image counterpart.",
                "NLM: it/s = denoised images per second (one run = one iteration); vs skimage = skimage's time / "
                        + "yax's for the same settings and pixels" + (nlmReferenceVersions == null ? ""
                        : "; reference: " + nlmReferenceVersions) + ".",
                "reference: " + (noSkimage ? "not run (--no-skimage)" : referenceVersions + ", "
                        + (threads == null ? "thread variables inherited"
                        : "OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=" + threads)),
                scaling.isEmpty() ? "host kernels on 1 thread: not timed (they are with --threads N, N > 1)"
                        : "host kernels, 1 -> " + HostPool.threads() + " threads (median it/s over median it/s, the "
                        + "two counts alternated run by run in this run; [host, 1 thr] rows), and in brackets the "
                        + "machine's own scaling, timed in the same rounds: " + HostPool.threads() + " solves on one "
                        + "thread each at the same time, all their iterations per second over one solve's (work that "
                        + "shares nothing; on a virtual machine whose cores share physical ones it falls to ~1x): "
                        + String.join("; ", scaling),
                "copy bandwidth samples (GB/s, in order): " + copySamples.stream()
                        .map(b -> String.format(Locale.ROOT, "%.2f", b / 1e9)).collect(Collectors.joining(" ")),
                "load average at end: " + MachineInfo.loadAverage());
        footer.forEach(out::println);
        out.flush();
        if (reportFile != null) {
            writeReport(reportFile, header, footer, rows);
        }
        return Yax.EXIT_OK;
    }

    private void validate() {
        if (threads != null && (threads < 1 || threads > 1024)) {
            throw new Yax.UsageException("--threads must be between 1 and 1024, got " + threads);
        }
        if (repeats < 1) {
            throw new Yax.UsageException("--repeats must be at least 1, got " + repeats);
        }
        if (warmup < 0) {
            throw new Yax.UsageException("--warmup must be at least 0, got " + warmup);
        }
        if (!(warmupSeconds >= 0 && warmupSeconds <= 600)) {
            throw new Yax.UsageException("--warmup-seconds must be between 0 and 600, got " + warmupSeconds);
        }
        for (int s : sizes) {
            if (s < 16 || s > 16384) {
                throw new Yax.UsageException("--sizes must be between 16 and 16384, got " + s);
            }
        }
        if (iterations < 5 || iterations > 100_000 || iterations % 5 != 0) {
            throw new Yax.UsageException("--iterations must be a multiple of 5 between 5 and 100000, got "
                    + iterations);
        }
        if (nlmSize != 0 && (nlmSize < 16 || nlmSize > 16384)) {
            throw new Yax.UsageException("--nlm-size must be 0 or between 16 and 16384, got " + nlmSize);
        }
        if (mriSize < 16 || mriSize > 16384) {
            throw new Yax.UsageException("--mri-size must be between 16 and 16384, got " + mriSize);
        }
        if (!List.of("djl", "host", "both").contains(path)) {
            throw new Yax.UsageException("--path must be djl, host or both, got " + path);
        }
        if (reportFile != null && !(isJson(reportFile) || isCsv(reportFile))) {
            throw new Yax.UsageException("--report must end in .json or .csv, got " + reportFile);
        }
    }

    /**
     * PDHG (and scikit-image) iterations per run: {@code --iterations}, by default 300 at every size, the cap of a
     * denoising solve (DenoiseRecipe), so a run's set-up (copying the image in and out) weighs in iterations/s about
     * as in a solve that runs to its cap. With 100 a 512 x 512 run on 2 threads lasted 15 ms, where one collection
     * or one late wake-up of a pool thread moved the rate by 10-30% (the 1 -> 2 threads ratio ranged 0.91-1.37x
     * over three runs, 2026-12-04).
     */
    int denoiseIterations() {
        return iterations;
    }

    /** FISTA outer iterations: a fifth of PDHG's (each does 10 inner TV iterations). */
    int fistaIterations() {
        return denoiseIterations() / 5;
    }

    /** PDHG-TV MRI iterations: about 50 at 512x512, the same work per run at other sizes, 5..200. */
    static int mriIterations(int size) {
        return (int) Math.max(5, Math.min(200, Math.round(50 * Math.pow(512.0 / size, 2))));
    }

    /**
     * Non-local means (Solvers.NLM: 5x5 patches, search radius 6, h = 0.8 sigma) against scikit-image's
     * denoise_nl_means(fast_mode=True) with the same settings on the same noisy phantom; one run = one iteration.
     */
    private void nlm(PrintWriter out, List<Row> rows, SkimageReference skimage) throws IOException, InterruptedException {
        int size = nlmSize;
        float[] noisy = BenchImage.noisyPhantom(size, NOISE_SIGMA, SEED);
        NonLocalMeans nlm = Solvers.NLM;
        List<Double> seconds = new ArrayList<>();
        List<Double> cpuSeconds = new ArrayList<>();
        Rounds rounds = new Rounds();
        while (rounds.next()) {
            long c0 = MachineInfo.processCpuNanos();
            long t0 = System.nanoTime();
            nlm.denoise(noisy, size, size, NOISE_SIGMA, Progress.NONE);
            long t1 = System.nanoTime();
            long c1 = MachineInfo.processCpuNanos();
            if (rounds.timed()) {
                seconds.add((t1 - t0) / 1e9);
                cpuSeconds.add(Math.max(c1 - c0, 1) / 1e9);
            }
        }
        Timings reference = null;
        Timings referenceCpu = null;
        if (skimage != null) {
            SkimageReference.Result r = skimage.timeNlm(noisy, size, size, NOISE_SIGMA, nlm.patchSize(),
                    nlm.patchDistance(), nlm.hPerSigma() * NOISE_SIGMA, warmup, repeats);
            reference = r.timings();
            referenceCpu = r.cpu();
            nlmReferenceVersions = r.versions();
        }
        rows.add(print(out, new Row("yax nlm denoise (fast mode)", size, 1, 1, Timings.of(seconds, 1), reference,
                Double.NaN, Timings.of(cpuSeconds, 1), referenceCpu), Double.NaN));
        if (reference != null) {
            rows.add(print(out, new Row("skimage nl_means fast_mode", size, 1, 1, reference, null, Double.NaN,
                    referenceCpu, null), Double.NaN));
        }
    }

    private Row mri(NDManager base) {
        int size = mriSize;
        SamplingMask mask = SamplingMask.variableDensity(size, size, MRI_ACCELERATION, 0.08, SEED);
        FourierSampling a = FourierSampling.ofRealImage(mask);
        float[] clean = BenchImage.phantom(size);
        float[] noise = new float[size * size * 2];
        Random random = new Random(SEED);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = mask.isSampled(i / 2 / size) ? (float) (MRI_SIGMA * random.nextGaussian()) : 0f;
        }
        int n = mriIterations(size);
        Timings t = measure(base, n, m -> {
            NDArray y = a.forward(m.create(clean, a.inputShape())).add(m.create(noise, a.outputShape()));
            NDArray zeroFilled = a.adjoint(y);
            return () -> new TvPdhg(MRI_WEIGHT, new StoppingRule(n, 0, n)).solve(a, y, zeroFilled, Progress.NONE);
        });
        return new Row("yax pdhg-tv mri 4x", size, n, 1, t, null);
    }

    /**
     * Times warm-up plus repeated runs; each run gets a fresh sub-manager, its inputs are made there before the
     * clock starts (not timed) and everything is freed after it stops.
     */
    private Timings measure(NDManager base, int iterations, Function<NDManager, Supplier<SolverResult>> prepare) {
        return measureBoth(base, iterations, prepare)[0];
    }

    /**
     * The rounds of one workload: untimed ones until there have been {@code --warmup} of them and they have taken
     * {@code --warmup-seconds}, then {@code --repeats} timed ones. Call {@link #next} before each round.
     */
    private final class Rounds {
        private final long warmUntil = System.nanoTime() + (long) (warmupSeconds * 1e9);
        private int warm;
        private int timedRounds;

        boolean next() {
            if (timedRounds == 0 && (warm < warmup || System.nanoTime() < warmUntil)) {
                warm++;
                return true;
            }
            timedRounds++;
            return timedRounds <= repeats;
        }

        boolean timed() {
            return timedRounds > 0;
        }
    }

    /** {wall-clock, process CPU} timings of the same runs. */
    private Timings[] measureBoth(NDManager base, int iterations,
                                  Function<NDManager, Supplier<SolverResult>> prepare) {
        return measureThreads(base, iterations, prepare, new int[] {HostPool.threads()}, false)[0];
    }

    /**
     * {wall-clock, process CPU} timings per host thread count, the counts alternated run by run (so that a change of
     * load between them touches every count alike); the host kernels are left on the first count. If
     * {@code alsoAtOnce}, each round also times first-count solves on one thread each, all at the same time on
     * threads of their own: the scaling the machine gives work that shares nothing (returned last, its iterations
     * those of all the solves together).
     */
    private Timings[][] measureThreads(NDManager base, int iterations,
                                       Function<NDManager, Supplier<SolverResult>> prepare, int[] threadCounts,
                                       boolean alsoAtOnce) {
        int modes = threadCounts.length + (alsoAtOnce ? 1 : 0);
        int together = threadCounts[0];
        List<List<Double>> seconds = new ArrayList<>();
        List<List<Double>> cpuSeconds = new ArrayList<>();
        for (int i = 0; i < modes; i++) {
            seconds.add(new ArrayList<>());
            cpuSeconds.add(new ArrayList<>());
        }
        try {
            Rounds rounds = new Rounds();
            while (rounds.next()) {
                for (int i = 0; i < modes; i++) {
                    boolean atOnce = i == threadCounts.length;
                    HostPool.setThreads(atOnce ? 1 : threadCounts[i]);
                    try (NDManager m = base.newSubManager()) {
                        List<Supplier<SolverResult>> solves = new ArrayList<>();
                        for (int j = 0; j < (atOnce ? together : 1); j++) {
                            solves.add(prepare.apply(m));
                        }
                        long c0 = MachineInfo.processCpuNanos();
                        long t0 = System.nanoTime();
                        List<SolverResult> results = atOnce ? solveAtOnce(solves) : List.of(solves.get(0).get());
                        long t1 = System.nanoTime();
                        long c1 = MachineInfo.processCpuNanos();
                        for (SolverResult result : results) {
                            if (result.iterations() != iterations) {
                                throw new IllegalStateException("the solver ran " + result.iterations()
                                        + " iterations, not " + iterations + ": the timing would be wrong");
                            }
                        }
                        if (rounds.timed()) {
                            seconds.get(i).add((t1 - t0) / 1e9);
                            cpuSeconds.get(i).add(Math.max(c1 - c0, 1) / 1e9);
                        }
                    }
                }
            }
        } finally {
            HostPool.setThreads(threadCounts[0]);
        }
        Timings[][] timings = new Timings[modes][];
        for (int i = 0; i < modes; i++) {
            int all = i == threadCounts.length ? iterations * together : iterations;
            timings[i] = new Timings[] {Timings.of(seconds.get(i), all), Timings.of(cpuSeconds.get(i), all)};
        }
        return timings;
    }

    /** Runs the solves at the same time, the first on the caller and each other on a thread of its own. */
    private static List<SolverResult> solveAtOnce(List<Supplier<SolverResult>> solves) {
        List<FutureTask<SolverResult>> others = new ArrayList<>();
        for (int j = 1; j < solves.size(); j++) {
            FutureTask<SolverResult> task = new FutureTask<>(solves.get(j)::get);
            Thread thread = new Thread(task, "yax-bench-solve-" + j);
            thread.setDaemon(true);
            thread.start();
            others.add(task);
        }
        List<SolverResult> results = new ArrayList<>();
        results.add(solves.get(0).get());
        for (FutureTask<SolverResult> task : others) {
            try {
                results.add(task.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("a solve run at the same time failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a solve", e);
            }
        }
        return results;
    }

    private static Row print(PrintWriter out, Row r, double copyBandwidth) {
        double gbs = r.gigabytesPerSecond();
        out.printf(Locale.ROOT, "%-46s %-10s %6d %10.2f %9.2f %9.2f %10.1f %10s %8s %7s %10s %8s%n", r.workload(),
                r.size() + "x" + r.size(), r.iterations(), r.timings().medianRate(), r.timings().minRate(),
                r.timings().maxRate(), r.tvRate(), Double.isNaN(r.ratio()) ? "-"
                        : String.format(Locale.ROOT, "%.2fx", r.ratio()),
                Double.isNaN(gbs) ? "-" : String.format(Locale.ROOT, "%.2f", gbs),
                Double.isNaN(gbs) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * gbs * 1e9 / copyBandwidth),
                Double.isNaN(r.cpuTvRate()) ? "-" : String.format(Locale.ROOT, "%.1f", r.cpuTvRate()),
                Double.isNaN(r.cpuRatio()) ? "-" : String.format(Locale.ROOT, "%.2fx", r.cpuRatio()));
        out.flush();
        return r;
    }

    /** The command as typed after the launcher, e.g. {@code yax bench --threads 1}. */
    private String command() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        return "yax " + String.join(" ", args);
    }

    /** {intra-op, inter-op} threads of the PyTorch engine (its JNI class is a runtime-only dependency). */
    private static int[] torchThreads() {
        try {
            Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils");
            return new int[] {(Integer) jni.getMethod("getNumThreads").invoke(null),
                    (Integer) jni.getMethod("getNumInteropThreads").invoke(null)};
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read PyTorch's thread counts: " + Yax.oneLine(e), e);
        }
    }

    private static boolean isJson(Path p) {
        return p.getFileName() != null && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    }

    private static boolean isCsv(Path p) {
        return p.getFileName() != null && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    private static void writeReport(Path file, List<String> header, List<String> footer, List<Row> rows)
            throws IOException {
        String text;
        if (isCsv(file)) {
            StringBuilder csv = new StringBuilder("workload,size,iterations,inner_per_outer,median_it_per_s,"
                    + "min_it_per_s,max_it_per_s,tv_it_per_s,ratio_vs_skimage,seconds_per_run\n");
            for (Row r : rows) {
                csv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.4f,%.4f,%.4f,%.4f,%s,%s%n", r.workload(), r.size(),
                        r.iterations(), r.innerPerOuter(), r.timings().medianRate(), r.timings().minRate(),
                        r.timings().maxRate(), r.tvRate(), Double.isNaN(r.ratio()) ? ""
                                : String.format(Locale.ROOT, "%.4f", r.ratio()), secondsList(r.timings(), " ")));
            }
            text = csv.toString();
        } else {
            JsonObject doc = new JsonObject();
            JsonArray head = new JsonArray();
            Stream.concat(header.stream(), footer.stream()).filter(s -> !s.isEmpty()).forEach(head::add);
            doc.add("notes", head);
            JsonArray array = new JsonArray();
            for (Row r : rows) {
                JsonObject o = new JsonObject();
                o.addProperty("workload", r.workload());
                o.addProperty("size", r.size());
                o.addProperty("iterations", r.iterations());
                o.addProperty("innerPerOuter", r.innerPerOuter());
                o.addProperty("medianItPerS", r.timings().medianRate());
                o.addProperty("minItPerS", r.timings().minRate());
                o.addProperty("maxItPerS", r.timings().maxRate());
                o.addProperty("tvItPerS", r.tvRate());
                if (!Double.isNaN(r.cpuTvRate())) {
                    o.addProperty("tvItPerCpuS", r.cpuTvRate());
                }
                if (!Double.isNaN(r.cpuRatio())) {
                    o.addProperty("cpuRatioVsSkimage", r.cpuRatio());
                }
                if (!Double.isNaN(r.gigabytesPerSecond())) {
                    o.addProperty("gigabytesPerSecond", r.gigabytesPerSecond());
                }
                if (!Double.isNaN(r.ratio())) {
                    o.addProperty("ratioVsSkimage", r.ratio());
                }
                JsonArray secs = new JsonArray();
                for (double s : r.timings().seconds()) {
                    secs.add(s);
                }
                o.add("secondsPerRun", secs);
                array.add(o);
            }
            doc.add("rows", array);
            text = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(doc) + "\n";
        }
        AtomicFiles.write(file, temp -> Files.writeString(temp, text, StandardCharsets.UTF_8));
    }

    private static String secondsList(Timings t, String separator) {
        StringBuilder b = new StringBuilder();
        for (double s : t.seconds()) {
            b.append(b.length() == 0 ? "" : separator).append(String.format(Locale.ROOT, "%.4f", s));
        }
        return b.toString();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
