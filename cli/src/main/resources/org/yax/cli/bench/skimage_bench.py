# Times scikit-image's denoisers on raw float32 images written by `yax bench`, for a side-by-side comparison:
# denoise_tv_chambolle (a fixed iteration count) or denoise_nl_means in fast mode. Run by yax with /usr/bin/python3
# (Debian's numpy and skimage) and OMP_NUM_THREADS / OPENBLAS_NUM_THREADS set in the environment before numpy is
# imported.
# argv: tv WEIGHT WARMUP REPEATS then one PATH:HEIGHT:WIDTH:ITERATIONS per image, or
#       nlm SIGMA PATCH_SIZE PATCH_DISTANCE H WARMUP REPEATS then one PATH:HEIGHT:WIDTH per image.
# Prints one JSON object.
import inspect
import json
import platform
import sys
import time

import numpy as np
import skimage
from skimage.restoration import denoise_nl_means, denoise_tv_chambolle


def timed(call, warmup, repeats):
    seconds = []
    cpu_seconds = []
    out = None
    for k in range(warmup + repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        out = call()
        dt = time.perf_counter() - t0
        dc = time.process_time() - c0
        if k >= warmup:
            seconds.append(dt)
            cpu_seconds.append(dc)
    return out, seconds, cpu_seconds


def main(argv):
    method = argv[0]
    results = []
    if method == "tv":
        weight = float(argv[1])
        warmup = int(argv[2])
        repeats = int(argv[3])
        specs = argv[4:]
        # skimage 0.19 renamed n_iter_max to max_num_iter; accept either so the count is really applied
        params = inspect.signature(denoise_tv_chambolle).parameters
        iter_name = "max_num_iter" if "max_num_iter" in params else "n_iter_max"
        parameters = iter_name + ", eps=0"
    else:
        sigma, patch_size, patch_distance, h = float(argv[1]), int(argv[2]), int(argv[3]), float(argv[4])
        warmup = int(argv[5])
        repeats = int(argv[6])
        specs = argv[7:]
        parameters = "fast_mode=True, patch_size=%d, patch_distance=%d, h=%g, sigma=%g" % (
            patch_size, patch_distance, h, sigma)
    for spec in specs:
        if method == "tv":
            path, height, width, iterations = spec.rsplit(":", 3)
            image = np.fromfile(path, dtype="<f4").reshape(int(height), int(width))
            # eps=0: the energy test |E_prev - E| < eps * E_init never holds, so exactly `iterations` run
            kwargs = {"weight": weight, "eps": 0.0, iter_name: int(iterations)}
            out, seconds, cpu = timed(lambda: denoise_tv_chambolle(image, **kwargs), warmup, repeats)
        else:
            path, height, width = spec.rsplit(":", 2)
            iterations = 1
            image = np.fromfile(path, dtype="<f4").reshape(int(height), int(width))
            out, seconds, cpu = timed(lambda: denoise_nl_means(image, patch_size=patch_size,
                                                               patch_distance=patch_distance, h=h, sigma=sigma,
                                                               fast_mode=True), warmup, repeats)
        results.append({"path": path, "iterations": int(iterations), "seconds": seconds,
                        "cpuSeconds": cpu, "dtype": str(out.dtype)})
    print(json.dumps({"python": platform.python_version(), "numpy": np.__version__,
                      "skimage": skimage.__version__, "parameters": parameters, "results": results}))


if __name__ == "__main__":
    main(sys.argv[1:])
