# Times scikit-image's denoise_tv_chambolle on raw float32 images written by `yax bench`, for a side-by-side
# comparison. Run by yax with /usr/bin/python3 (Debian's numpy and skimage) and OMP_NUM_THREADS /
# OPENBLAS_NUM_THREADS set in the environment before numpy is imported.
# argv: weight warmup repeats then one PATH:HEIGHT:WIDTH:ITERATIONS per image. Prints one JSON object.
import inspect
import json
import platform
import sys
import time

import numpy as np
import skimage
from skimage.restoration import denoise_tv_chambolle


def main(argv):
    weight = float(argv[0])
    warmup = int(argv[1])
    repeats = int(argv[2])
    # skimage 0.19 renamed n_iter_max to max_num_iter; accept either so the count is really applied
    params = inspect.signature(denoise_tv_chambolle).parameters
    iter_name = "max_num_iter" if "max_num_iter" in params else "n_iter_max"
    results = []
    for spec in argv[3:]:
        path, h, w, iterations = spec.rsplit(":", 3)
        image = np.fromfile(path, dtype="<f4").reshape(int(h), int(w))
        # eps=0: the energy test |E_prev - E| < eps * E_init never holds, so exactly `iterations` run
        kwargs = {"weight": weight, "eps": 0.0, iter_name: int(iterations)}
        seconds = []
        cpu_seconds = []
        for k in range(warmup + repeats):
            c0 = time.process_time()
            t0 = time.perf_counter()
            out = denoise_tv_chambolle(image, **kwargs)
            dt = time.perf_counter() - t0
            dc = time.process_time() - c0
            if k >= warmup:
                seconds.append(dt)
                cpu_seconds.append(dc)
        results.append({"path": path, "iterations": int(iterations), "seconds": seconds,
                        "cpuSeconds": cpu_seconds, "dtype": str(out.dtype)})
    print(json.dumps({"python": platform.python_version(), "numpy": np.__version__,
                      "skimage": skimage.__version__, "iterationParameter": iter_name, "results": results}))


if __name__ == "__main__":
    main(sys.argv[1:])
