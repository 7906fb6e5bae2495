#!/usr/bin/python3
"""The engine's benchmark configurations written in Python with Debian's python3-torch.

Same models, same operations and the same measurement as `ndtmoe bench`, so the two can be compared
on one machine. Prints one JSON line per configuration: name, device, batch, samples_per_s. Threads as a
plain script has them (torch.set_num_threads only); bench/throughput.sh also runs it with
OPENBLAS_NUM_THREADS=1, the engine's own set-up (core/ndtmoe/model/cpu_threads.h), reported as blas_threads.

    /usr/bin/python3 bench/python_reference.py [--device cpu|cuda] [--threads 2] [--batches 256 4096]
"""
import argparse
import json
import os
import time

import torch
import torch.nn.functional as F


class Entmax15Function(torch.autograd.Function):
    """Exact sort-based entmax15 (deep-spin `entmax` conventions: max shift, z/2 scaling)."""

    @staticmethod
    def forward(ctx, x, dim):
        x = (x - x.max(dim=dim, keepdim=True).values) / 2
        xs, _ = torch.sort(x, dim=dim, descending=True)
        shape = [1] * x.dim()
        shape[dim] = -1
        rho = torch.arange(1, x.size(dim) + 1, device=x.device, dtype=x.dtype).view(shape)
        mean = xs.cumsum(dim) / rho
        mean_sq = (xs ** 2).cumsum(dim) / rho
        ss = rho * (mean_sq - mean ** 2)
        delta = torch.clamp((1 - ss) / rho, min=0)
        tau = mean - torch.sqrt(delta)
        support = (tau <= xs).sum(dim=dim, keepdim=True)
        tau_star = tau.gather(dim, support - 1)
        y = torch.clamp(x - tau_star, min=0) ** 2
        ctx.save_for_backward(y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        g = y.sqrt()
        dx = dy * g
        q = dx.sum(ctx.dim, keepdim=True) / g.sum(ctx.dim, keepdim=True)
        return dx - q * g, None


class Entmoid15Function(torch.autograd.Function):
    """NODE's entmoid15 (Qwicen/node lib/nn_utils.py)."""

    @staticmethod
    def forward(ctx, x):
        a = x.abs()
        tau = (a + torch.sqrt(F.relu(8 - a * a))) / 2
        tau = torch.where(tau <= a, torch.full_like(tau, 2.0), tau)
        y_neg = 0.25 * F.relu(tau - a) ** 2
        y = torch.where(x >= 0, 1 - y_neg, y_neg)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        g0, g1 = y.sqrt(), (1 - y).sqrt()
        dx = dy * g0
        return dx - dx / (g0 + g1) * g0


class NDTRouter(torch.nn.Module):
    def __init__(self, in_features, experts, depth, trees, top_k):
        super().__init__()
        self.depth, self.trees, self.top_k = depth, trees, top_k
        self.selector_logits = torch.nn.Parameter(torch.rand(trees, depth, in_features))
        self.thresholds = torch.nn.Parameter(torch.zeros(trees, depth))
        self.log_temperatures = torch.nn.Parameter(torch.zeros(trees, depth))
        self.leaf_to_expert = torch.nn.Linear(trees * 2 ** depth, experts)
        self.initialized = False

    def split_values(self, u):
        w = Entmax15Function.apply(self.selector_logits, -1).reshape(self.trees * self.depth, -1)
        return (u @ w.t()).view(-1, self.trees, self.depth)

    @torch.no_grad()
    def initialize_from(self, u):
        values = self.split_values(u).reshape(u.size(0), -1)
        q = torch.rand(values.size(1), device=u.device)  # Beta(1, 1)
        sorted_values = values.sort(0).values
        rank = (q * (values.size(0) - 1)).round().long()
        thresholds = sorted_values.gather(0, rank.unsqueeze(0)).squeeze(0)
        temperature = (values - thresholds).abs().sort(0).values[-1]
        self.thresholds.copy_(thresholds.view(self.trees, self.depth))
        self.log_temperatures.copy_(torch.log(temperature + 1e-6).view(self.trees, self.depth))
        self.initialized = True

    def forward(self, u):
        if self.training and not self.initialized:
            self.initialize_from(u)
        s = self.split_values(u)
        c = Entmoid15Function.apply((s - self.thresholds) * torch.exp(-self.log_temperatures))
        leaf = torch.ones(u.size(0), self.trees, 1, device=u.device)
        for i in range(self.depth):
            ci = c[:, :, i].unsqueeze(-1)
            leaf = torch.cat([leaf * (1 - ci), leaf * ci], -1)
        logits = self.leaf_to_expert(leaf.reshape(u.size(0), -1))
        values, experts = logits.topk(self.top_k, -1)
        return logits, torch.softmax(logits, -1), experts, torch.softmax(values, -1)


class Expert(torch.nn.Module):
    def __init__(self, d, hidden, dropout):
        super().__init__()
        self.fc_in, self.fc_out, self.dropout = torch.nn.Linear(d, hidden), torch.nn.Linear(hidden, d), torch.nn.Dropout(dropout)

    def forward(self, x):
        return self.fc_out(self.dropout(F.gelu(self.fc_in(x))))


def load_balance(probs, experts):
    n = probs.size(1)
    fraction = torch.zeros(n, device=probs.device).index_add_(0, experts[:, 0], torch.ones(experts.size(0), device=probs.device))
    return n * (fraction / probs.size(0) * probs.mean(0)).sum()


class NDTMoELayer(torch.nn.Module):
    def __init__(self, d, experts, depth, top_k, hidden=128, dropout=0.1):
        super().__init__()
        self.router = NDTRouter(d, experts, depth, 1, top_k)
        self.experts = torch.nn.ModuleList(Expert(d, hidden, dropout) for _ in range(experts))
        self.norm = torch.nn.LayerNorm(d)

    def forward(self, h):
        logits, probs, experts, weights = self.router(h)
        k = experts.size(1)
        flat = experts.reshape(-1)
        order = flat.sort(stable=True).indices
        sample_of = torch.div(order, k, rounding_mode="floor")
        weight_of = weights.reshape(-1).index_select(0, order)
        counts = torch.bincount(flat, minlength=len(self.experts)).tolist()
        gathered = h.index_select(0, sample_of)
        outputs, offset = [], 0
        for j, n in enumerate(counts):
            if n == 0:
                continue
            outputs.append(self.experts[j](gathered.narrow(0, offset, n)))
            offset += n
        mixed = torch.zeros_like(h).index_add_(0, sample_of, torch.cat(outputs) * weight_of.unsqueeze(1))
        return self.norm(h + mixed), load_balance(probs, experts)


class NDTMoEModel(torch.nn.Module):
    def __init__(self, inputs, classes, d, layers, experts, depth, top_k):
        super().__init__()
        self.encoder = torch.nn.Linear(inputs, d)
        self.layers = torch.nn.ModuleList(NDTMoELayer(d, experts, depth, top_k) for _ in range(layers))
        self.head = torch.nn.Linear(d, classes)

    def forward(self, x):
        h = self.encoder(x)
        lb = 0
        for layer in self.layers:
            h, l = layer(h)
            lb = lb + l
        return self.head(h), lb


class MxDReference(torch.nn.Module):
    """The Mixture of Decoders layer as the reference writes it (james-oldfield/MxD, use_conditional):
    the gate's dense N-vector a times all of C [d, N], C's columns renormalised after every step."""

    def __init__(self, d, hidden, experts, top_k):
        super().__init__()
        self.top_k = top_k
        self.encoder = torch.nn.Linear(d, hidden)
        self.gate = torch.nn.Linear(d, experts)
        self.decoder = torch.nn.Parameter(torch.zeros(hidden, d))
        self.modulations = torch.nn.Parameter(torch.rand(d, experts) * 2 - 1)
        self.output_bias = torch.nn.Parameter(torch.zeros(d))
        self.normalize()

    @torch.no_grad()
    def normalize(self):
        self.modulations /= self.modulations.norm(dim=0, keepdim=True)

    def forward(self, x):
        z = F.relu(self.encoder(x))
        values, experts = self.gate(x).topk(self.top_k, -1)
        a = torch.zeros(x.size(0), self.modulations.size(1), device=x.device).scatter(1, experts, F.relu(values))
        return (z @ self.decoder) * (a @ self.modulations.t()) + self.output_bias


def measure(step, device, batch, warmup, repeats, steps, min_seconds):
    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize()

    for _ in range(warmup):
        step()
    sync()
    rates = []
    for _ in range(repeats):
        # At least `steps` steps and `min_seconds`, exactly as the engine measures.
        start = time.perf_counter()
        done, seconds = 0, 0.0
        while done < steps or seconds < min_seconds:
            step()
            done += 1
            sync()
            seconds = time.perf_counter() - start
        rates.append(batch * done / seconds)
    return sorted(rates)[len(rates) // 2], rates  # the same median as the engine's


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batches", type=int, nargs="+", default=[256, 4096])
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--min-seconds", type=float, default=0.5)
    parser.add_argument("--filter", default="")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)

    def report(name, batch, step):
        rate, rates = measure(step, device, batch, args.warmup, args.repeats, args.steps, args.min_seconds)
        print(json.dumps({"name": name, "device": str(device), "batch": batch, "samples_per_s": rate,
                          "repeats": rates, "threads": args.threads, "engine": "python",
                          "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default")}), flush=True)

    for trees in (1, 16):
        name = f"router_depth6_trees{trees}"
        if args.filter not in name:
            continue
        for batch in args.batches:
            torch.manual_seed(0)
            router = NDTRouter(64, 16, 6, trees, 2).to(device)
            x = torch.randn(batch, 64, device=device)
            router.initialize_from(x)
            opt = torch.optim.Adam(router.parameters(), lr=1e-3)

            def step():
                logits, _, _, weights = router(x)
                loss = torch.logsumexp(logits, -1).mean() + (weights * weights).sum(-1).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()

            report(name, batch, step)

    for experts in (1024, 4096, 16384):
        name = f"mxd_n{experts}_k32_d64"
        if args.filter not in name:
            continue
        for batch in args.batches:
            torch.manual_seed(0)
            layer = MxDReference(64, 256, experts, 32).to(device)
            x, target = torch.randn(batch, 64, device=device), torch.randn(batch, 64, device=device)
            opt = torch.optim.Adam(layer.parameters(), lr=4e-4)

            def step():
                loss = ((layer(x) - target) ** 2 / target.norm(dim=-1, keepdim=True)).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                layer.normalize()

            report(name, batch, step)

    name = "ndtmoe_d64_depth6_e16_top2_l4"
    if args.filter not in name:
        return
    for batch in args.batches:
        torch.manual_seed(0)
        model = NDTMoEModel(64, 10, 64, 4, 16, 6, 2).to(device).train()
        x = torch.randn(batch, 64, device=device)
        y = torch.randint(0, 10, (batch,), device=device)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)

        def step():
            out, lb = model(x)
            loss = F.cross_entropy(out, y) + 0.01 * lb
            opt.zero_grad()
            loss.backward()
            opt.step()

        report(name, batch, step)


if __name__ == "__main__":
    main()
