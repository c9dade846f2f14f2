"""The report's autoencoder in PyTorch, timed like `deno task bench` (tools/bench.ts).

Same model (178,001 parameters), Adam (1e-3), MSE, random 28x28 images; `--one B,T` prints
the JSON line of one row (batch size B, T threads), run in a process of its own by the bench.
`--info` prints only the PyTorch and BLAS (`"reference": true` for netlib's reference BLAS,
no fair anchor). Exit 3 when PyTorch is not installed.

    python3 tools/bench_native.py --one 32,1 --batches 20
    python3 tools/bench_native.py --info
"""
import argparse
import json
import os
import re
import resource
import statistics
import sys
import time

PARAMETERS = 178_001


def build(nn):
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
        nn.Flatten(),
        nn.Linear(7 * 7 * 64, 16),
        nn.Linear(16, 7 * 7 * 64), nn.ReLU(),
        nn.Unflatten(1, (64, 7, 7)),
        nn.ConvTranspose2d(64, 64, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
        nn.Dropout(0.2),
        nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
        nn.ConvTranspose2d(32, 1, 3, stride=1, padding=1), nn.Sigmoid(),
    )


def blas_of(torch):
    """Which BLAS this PyTorch uses: build info, loaded libraries, and whether it is reference."""
    config = torch.__config__.show()
    info = re.search(r"BLAS_INFO=([^,\s]+)", config)
    blas_info = info.group(1) if info else "unknown"
    mkl = re.search(r"(Intel\(R\) [^\n]*Math Kernel Library[^\n]*)", config)
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # make sure the BLAS is loaded
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if len(line.split()) >= 6}
    libraries = sorted(
        p for p in paths
        if re.search(r"blas|mkl|blis|atlas", os.path.basename(p)) and "lapack" not in p
    )
    # Debian's torch says BLAS_INFO=generic and calls whatever libblas.so.3 resolves to (the
    # alternative, or LD_LIBRARY_PATH); under .../blas/ that is netlib's reference BLAS. Other
    # libraries (OpenBLAS pulled in by LAPACK or NumPy) do not change which one torch calls.
    reference = blas_info in ("generic", "unknown") and any(
        os.path.basename(p).startswith("libblas") and "/blas/" in p
        and not re.search(r"openblas|mkl|blis|atlas", p, re.IGNORECASE)
        for p in libraries
    )
    return {
        "torch": torch.__version__,
        "blas_info": f"BLAS_INFO={blas_info}" + (f" ({mkl.group(1).strip()})" if mkl else ""),
        "blas_libraries": libraries,
        "reference": reference,
    }


def median_seconds(count, f):
    seconds = []
    for i in range(count):
        start = time.perf_counter()
        f(i)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def one_row(torch, args, batch, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(args.seed)
    model = build(torch.nn)
    count = sum(p.numel() for p in model.parameters())
    if count != PARAMETERS:
        raise SystemExit(f"bench_native: model has {count} parameters, expected {PARAMETERS}")
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    clean = [torch.rand(batch, 1, 28, 28) for _ in range(4)]
    data = [((c + 0.5 * torch.randn(batch, 1, 28, 28)).clamp(0, 1), c) for c in clean]

    def step(i):
        noisy, target = data[i % len(data)]
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(noisy), target).backward()
        optimizer.step()

    def predict(i):
        with torch.no_grad():
            model(data[i % len(data)][0])

    model.train()
    step(0)
    cpu0 = time.thread_time()
    train = median_seconds(args.batches, step)
    # The calling thread's CPU per training step, as bench.ts's main_cpu_ms_per_step.
    cpu_ms = (time.thread_time() - cpu0) * 1000 / args.batches
    model.eval()
    predict(0)
    infer = median_seconds(args.predict_batches, predict)
    return {
        "backend": "pytorch",
        "active": f"pytorch {torch.__version__}",
        "threads": torch.get_num_threads(),
        "batch_size": batch,
        "train_images_per_second": float(f"{batch / train:.4g}"),
        "predict_images_per_second": float(f"{batch / infer:.4g}"),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "main_cpu_ms_per_step": float(f"{cpu_ms:.4g}"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--predict-batches", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--one", metavar="B,T", help="measure one row: batch size B, T threads")
    mode.add_argument("--info", action="store_true", help="print the PyTorch and BLAS only")
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        print("bench_native: PyTorch is not installed", file=sys.stderr)
        return 3
    if args.info:
        print(json.dumps(blas_of(torch)))
    else:
        batch, threads = (int(x) for x in args.one.split(","))
        print(json.dumps(one_row(torch, args, batch, threads)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
