"""Peak memory of this process, as the benchmarks report it."""

from __future__ import annotations

import resource


def peak_rss_mib() -> float:
    """This process's peak resident memory in MiB: Linux's high-water mark of its own
    address space (``VmHWM``), else ``ru_maxrss``. Not ``ru_maxrss`` where ``VmHWM`` is
    there: the kernel carries a parent's peak into a child's ``ru_maxrss`` across the fork
    and exec, so the nightly process the nightly benchmark starts (its parent holds 1.2 GB
    after generating and loading the national population) would report its parent's peak,
    not its own."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
