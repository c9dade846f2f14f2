"""The report's autoencoder in PyTorch, timed like `deno task bench` (tools/bench.ts).

Same architecture (Conv2D 32 s2 -> Conv2D 64 s2 -> Flatten -> Dense 16 -> Dense 3136 ->
Reshape 7x7x64 -> ConvT 64 s2 -> Dropout 0.2 -> ConvT 32 s2 -> ConvT 1 sigmoid; 3x3
kernels, 'same' sizes, ReLU; 178,001 parameters), Adam (1e-3), MSE, random 28x28 images.
Each (batch size, thread count) row runs in its own process (its own peak RSS) and
prints one JSON line. Throughputs are medians of per-batch timings after a warm-up step.
Exit 3 when PyTorch is not installed.

    python3 tools/bench_native.py --batch-sizes 32,128 --threads 1,2 --batches 20
"""
import argparse
import json
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
    train = timed(args.batches, step)
    model.eval()

    def predict(i):
        with torch.no_grad():
            model(data[i % len(data)][0])

    predict(0)
    infer = timed(args.predict_batches, predict)
    return {
        "backend": "pytorch",
        "active": f"pytorch {torch.__version__}",
        "threads": threads,
        "batch_size": batch,
        "train_images_per_second": float(f"{batch / train:.4g}"),
        "predict_images_per_second": float(f"{batch / infer:.4g}"),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch-sizes", default="32,128")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--predict-batches", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", help="internal: measure one 'batch,threads' row")
    args = parser.parse_args()
    try:
        import torch  # noqa: F401
    except ImportError:
        print("bench_native: PyTorch is not installed", file=sys.stderr)
        return 3
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
