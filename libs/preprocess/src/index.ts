// Project-written preprocessing tools run as job subprocesses (umi extraction, read lengths).
