"""The report's autoencoder in PyTorch, timed like `deno task bench` (tools/bench.ts).

Same model (178,001 parameters), Adam (1e-3), MSE, random 28x28 images; one process and one
JSON line per (batch size, thread count) row, naming PyTorch, its BLAS and the threads.
`--info` prints only the PyTorch and BLAS (`"reference": true` for netlib's reference BLAS,
no fair anchor). Exit 3 when PyTorch is not installed.

    python3 tools/bench_native.py --batch-sizes 32,128 --threads 1,2 --batches 20
    python3 tools/bench_native.py --info
"""
import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time

PARAMETERS = 178_001


def build(torch):
    nn = torch.nn
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
    libraries = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                name = os.path.basename(path)
                if re.search(r"blas|mkl|blis|atlas", name) and "lapack" not in name:
                    libraries.add(path)
    except OSError:
        pass
    libraries = sorted(libraries)
    optimized = re.compile(r"openblas|mkl|blis|atlas", re.IGNORECASE)
    # Debian's torch says BLAS_INFO=generic and calls whatever libblas.so.3 resolves to (the
    # alternative, or LD_LIBRARY_PATH); under .../blas/ that is netlib's reference BLAS. Other
    # libraries (OpenBLAS pulled in by LAPACK or NumPy) do not change which one torch calls.
    blas = [p for p in libraries if os.path.basename(p).startswith("libblas")]
    reference = blas_info in ("generic", "unknown") and any(
        "/blas/" in p and not optimized.search(p) for p in blas
    )
    return {
        "torch": torch.__version__,
        "python": sys.executable,
        "blas_info": f"BLAS_INFO={blas_info}" + (f" ({mkl.group(1).strip()})" if mkl else ""),
        "blas_libraries": libraries,
        "reference": reference,
    }


def one_row(args, batch, threads):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(args.seed)
    model = build(torch)
    count = sum(p.numel() for p in model.parameters())
    if count != PARAMETERS:
        raise SystemExit(f"bench_native: model has {count} parameters, expected {PARAMETERS}")
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.MSELoss()
    data = []
    for _ in range(4):
        clean = torch.rand(batch, 1, 28, 28)
        noisy = (clean + 0.5 * torch.randn(batch, 1, 28, 28)).clamp(0, 1)
        data.append((noisy, clean))

    def step(i):
        noisy, clean = data[i % len(data)]
        optimizer.zero_grad()
        loss = loss_fn(model(noisy), clean)
        loss.backward()
        optimizer.step()
        return loss.item()

    def timed(count, f):
        seconds = []
        for i in range(count):
            start = time.perf_counter()
            f(i)
            seconds.append(time.perf_counter() - start)
        return statistics.median(seconds)

    model.train()
    step(0)
    cpu0 = time.thread_time()
    train = timed(args.batches, step)
    cpu_ms = (time.thread_time() - cpu0) * 1000 / args.batches
    model.eval()

    def predict(i):
        with torch.no_grad():
            model(data[i % len(data)][0])

    predict(0)
    infer = timed(args.predict_batches, predict)
    blas = blas_of(torch)
    return {
        "backend": "pytorch",
        "active": f"pytorch {torch.__version__}",
        "threads": torch.get_num_threads(),
        "torch": blas["torch"],
        "blas": blas["blas_info"],
        "blas_libraries": blas["blas_libraries"],
        "reference_blas": blas["reference"],
        "batch_size": batch,
        "train_images_per_second": float(f"{batch / train:.4g}"),
        "predict_images_per_second": float(f"{batch / infer:.4g}"),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        # The calling thread's CPU per training step, as bench.ts's main_cpu_ms_per_step.
        "main_cpu_ms_per_step": float(f"{cpu_ms:.4g}"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch-sizes", default="32,128")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--predict-batches", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", help="internal: measure one 'batch,threads' row")
    parser.add_argument("--info", action="store_true", help="print the PyTorch and BLAS only")
    args = parser.parse_args()
    try:
        import torch  # noqa: F401
    except ImportError:
        print("bench_native: PyTorch is not installed", file=sys.stderr)
        return 3
    if args.info:
        import torch
        print(json.dumps(blas_of(torch)))
        return 0
    if args.one:
        batch, threads = (int(x) for x in args.one.split(","))
        print(json.dumps(one_row(args, batch, threads)))
        return 0
    for batch in (int(b) for b in args.batch_sizes.split(",")):
        for threads in (int(t) for t in args.threads.split(",")):
            child = [sys.executable, __file__, "--one", f"{batch},{threads}",
                     "--batches", str(args.batches),
                     "--predict-batches", str(args.predict_batches), "--seed", str(args.seed)]
            out = subprocess.run(child, check=True, stdout=subprocess.PIPE, text=True).stdout
            print(out.strip().split("\n")[-1], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
