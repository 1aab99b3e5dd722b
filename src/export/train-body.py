

# ——— convplay's generator (mulberry32), so initial weights and epoch orders are the app's ———
class Mulberry32:
    """The app's seeded generator (src/util/prng.ts), bit for bit: uniform floats in [0, 1)."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296.0

    def normal(self):
        u = 1.0 - self.next()
        v = self.next()
        return math.sqrt(-2.0 * math.log(u)) * math.cos(2.0 * math.pi * v)


def convplay_init(model, seed):
    """Sets every trainable tensor as convplay does for this seed (U(±1/√fan_in), He-normal, Glorot-uniform, constants)."""
    rng = Mulberry32(seed)
    state = model.state_dict()
    with torch.no_grad():
        for key, kind, a, b in INIT:
            t = state[key]
            n = t.numel()
            if kind == "he-normal":
                std = math.sqrt(2.0 / a)
                values = [rng.normal() * std for _ in range(n)]
            elif kind == "glorot-uniform":
                limit = math.sqrt(6.0 / (a + b))
                values = [-limit + 2.0 * limit * rng.next() for _ in range(n)]
            elif kind == "fan-in-uniform":
                bound = 1.0 / math.sqrt(a)
                values = [-bound + 2.0 * bound * rng.next() for _ in range(n)]
            else:
                values = [a] * n
            t.copy_(torch.tensor(values, dtype=torch.float64).reshape(t.shape))


def epoch_order(seed, epoch, count):
    """The order convplay visits the training images in this epoch (Fisher–Yates, seeded per epoch)."""
    rng = Mulberry32((seed * 1000003 + epoch) & 0xFFFFFFFF)
    order = list(range(count))
    for i in range(count - 1, 0, -1):
        j = int(rng.next() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return torch.tensor(order, dtype=torch.int64)


def learning_rate_at(t, total_steps, lr, s):
    """convplay's schedule (src/train/schedule.ts): linear warm-up, then constant, step or cosine."""
    if s["warmup_steps"] > 0 and t < s["warmup_steps"]:
        return lr * (t + 1) / s["warmup_steps"]
    after = t - s["warmup_steps"]
    if s["kind"] == "step":
        return lr * s["gamma"] ** (after // max(1, s["step_size"]))
    if s["kind"] == "cosine":
        span = max(1, total_steps - s["warmup_steps"])
        progress = min(1.0, after / span)
        return s["min_lr"] + (lr - s["min_lr"]) * 0.5 * (1 + math.cos(math.pi * progress))
    return lr


def make_optimizer(params, o):
    """torch.optim with convplay's settings (the app's kernels follow these same update rules)."""
    if o["kind"] == "sgd":
        return torch.optim.SGD(params, lr=o["lr"], momentum=o["momentum"], nesterov=o["nesterov"], weight_decay=o["weight_decay"])
    cls = torch.optim.AdamW if o["kind"] == "adamw" else torch.optim.Adam
    return cls(params, lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["epsilon"], weight_decay=o["weight_decay"])


# ——— data: the IDX files, normalised like the app ———
def read_idx(folder, stems):
    """A uint8 tensor from the first <folder>/<stem>(.gz) there (IDX: big-endian dims after a magic number)."""
    for stem in stems:
        for name in (stem + ".gz", stem):
            path = os.path.join(folder, name)
            if os.path.exists(path):
                with open(path, "rb") as f:
                    raw = f.read()
                if raw[:2] == b"\x1f\x8b":
                    raw = gzip.decompress(raw)
                dims = raw[3]
                shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
                if raw[2] != 0x08 or len(raw) != 4 + 4 * dims + math.prod(shape):
                    sys.exit("%s: not an IDX file of unsigned bytes with the size its header gives" % path)
                return torch.frombuffer(bytearray(raw[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)
    where = "the IDX files of your dataset (data/own in the download)" if DATASET == "own" else "the four IDX files of %s" % DATASET
    sys.exit("%s: no %s(.gz) here; put %s in this folder (--data)" % (folder, stems[0], where))


def load_split(folder, prefix):
    # Images are [N, H, W] (rank 3, grey) or [N, C, H, W] (rank 4, colour, the user's own dataset).
    images = read_idx(folder, [prefix + "-images-idx3-ubyte", prefix + "-images-idx4-ubyte"])
    if tuple(images.shape[1:]) not in (tuple(INPUT_SHAPE), tuple(INPUT_SHAPE[1:])) or (images.dim() == 3 and INPUT_SHAPE[0] != 1):
        sys.exit("%s: %s images are %s, the network takes %s" % (folder, prefix, list(images.shape[1:]), list(INPUT_SHAPE)))
    images = images.reshape(-1, *INPUT_SHAPE)
    labels = read_idx(folder, [prefix + "-labels-idx1-ubyte"]).to(torch.int64)
    if len(images) != len(labels):
        sys.exit("%s: %d %s images but %d labels" % (folder, len(images), prefix, len(labels)))
    if len(labels) and int(labels.max()) >= CLASSES:
        sys.exit("%s: a %s label is %d, but the network has %d classes" % (folder, prefix, int(labels.max()), CLASSES))
    return images, labels


def normalise(pixels, device):
    # Per channel for the user's own dataset ([1, C, 1, 1] tensors in model.py), one number for MNIST.
    mean = torch.as_tensor(INPUT_MEAN, dtype=torch.float32, device=device)
    std = torch.as_tensor(INPUT_STD, dtype=torch.float32, device=device)
    return (pixels.to(device, torch.float32) / 255.0 - mean) / std


# ——— one process or many ———
def setup_distributed(force_cpu):
    """(rank, world size, device); under torchrun joins the process group (NCCL on GPUs, gloo on CPUs)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available() and not force_cpu
    device = torch.device("cuda", local_rank) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    else:
        local_world = int(os.environ.get("LOCAL_WORLD_SIZE", "1"))
        torch.set_num_threads(max(1, (os.cpu_count() or 1) // local_world))
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo")
    return rank, world, device


def all_sum(values, device, world):
    t = torch.tensor(values, dtype=torch.float64, device=device)
    if world > 1:
        dist.all_reduce(t)
    return t.tolist()


def evaluate(model, images, labels, rank, world, device):
    """(loss, accuracy) over the test split; each process takes a contiguous share."""
    model.eval()
    share = (len(images) + world - 1) // world
    lo, hi = rank * share, min(len(images), (rank + 1) * share)
    loss_sum = correct = 0.0
    with torch.no_grad():
        for i in range(lo, hi, 500):
            x = normalise(images[i:min(hi, i + 500)], device)
            y = labels[i:min(hi, i + 500)].to(device)
            logits = model(x)
            loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
            correct += (logits.argmax(1) == y).sum().item()
    loss_sum, correct = all_sum([loss_sum, correct], device, world)
    return loss_sum / len(images), correct / len(images)


def main(argv):
    p = argparse.ArgumentParser(description="Train the convplay network of model.py (settings default to the design's).")
    p.add_argument("--data", default=os.path.join("data", DATASET), help="folder with the IDX files (default data/%s)" % DATASET)
    p.add_argument("--epochs", type=int, default=EPOCHS)
    p.add_argument("--batch", type=int, default=BATCH, help="global batch; each of N processes takes batch/N")
    p.add_argument("--lr", type=float, default=OPTIMIZER["lr"])
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--subset", type=int, default=0, help="train on the first N training images only (0: all)")
    p.add_argument("--weights", help="start from these weights (a convplay .safetensors, e.g. %s)" % WEIGHTS_FILE)
    p.add_argument("--out", default="trained.safetensors", help="checkpoint written after every epoch")
    p.add_argument("--cpu", action="store_true", help="use the CPU even when a GPU is there")
    p.add_argument("--save-init", metavar="FILE", help="write the initial weights to FILE and stop (to compare with convplay's)")
    args = p.parse_args(argv)

    rank, world, device = setup_distributed(args.cpu)
    say = print if rank == 0 else (lambda *a, **k: None)
    if args.batch % world:
        sys.exit("the batch (%d) must split evenly over %d processes" % (args.batch, world))
    torch.manual_seed(args.seed + rank)  # dropout masks: PyTorch's own generator

    model = ConvplayNet()
    if args.weights:
        state = {k: v for k, v in read_safetensors(args.weights).items() if not k.startswith("optimizer.")}
        model.load_state_dict(state, strict=True)
        say("starting from %s" % args.weights)
    else:
        convplay_init(model, args.seed)
    if args.save_init:
        if rank == 0:
            save(model, args.save_init, step=0)
        return 0
    model.to(device)
    if world > 1 and device.type == "cuda":
        model = torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)
    net = torch.nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None) if world > 1 else model

    train_x, train_y = load_split(args.data, "train")
    test_x, test_y = load_split(args.data, TEST_PREFIX)
    count = min(len(train_x), args.subset) if args.subset > 0 else len(train_x)
    steps_per_epoch = count // args.batch  # the last partial batch is dropped, as in convplay
    if steps_per_epoch == 0:
        sys.exit("batch %d is larger than the %d training images" % (args.batch, count))
    total = steps_per_epoch * args.epochs
    per_rank = args.batch // world
    optimizer = make_optimizer(net.parameters(), dict(OPTIMIZER, lr=args.lr))
    say("%s: %d training images, batch %d over %d process(es) on %s, %s lr %g, %s schedule, %d epochs of %d steps, seed %d"
        % (DATASET, count, args.batch, world, device.type, OPTIMIZER["kind"], args.lr, SCHEDULE["kind"], args.epochs, steps_per_epoch, args.seed))

    step, test_acc, test_loss = 0, float("nan"), float("nan")
    for epoch in range(args.epochs):
        started = time.time()
        order = epoch_order(args.seed, epoch, count)
        net.train()
        loss_sum = correct = 0.0
        for s in range(steps_per_epoch):
            lo = s * args.batch + rank * per_rank
            idx = order[lo:lo + per_rank]
            x, y = normalise(train_x[idx], device), train_y[idx].to(device)
            for group in optimizer.param_groups:
                group["lr"] = learning_rate_at(step, total, args.lr, SCHEDULE)
            logits = net(x)
            loss = F.cross_entropy(logits, y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step += 1
            loss_sum += loss.item() * len(y)
            correct += (logits.argmax(1) == y).sum().item()
        loss_sum, correct = all_sum([loss_sum, correct], device, world)
        seen = steps_per_epoch * args.batch
        # The plain module, not the DDP wrapper: evaluation needs no collective per batch (the shares
        # may differ in batch count), and every process holds the same weights.
        test_loss, test_acc = evaluate(model, test_x, test_y, rank, world, device)
        say("epoch %d/%d train_loss=%.4f train_accuracy=%.4f test_loss=%.4f test_accuracy=%.4f epoch_s=%.1f"
            % (epoch + 1, args.epochs, loss_sum / seen, correct / seen, test_loss, test_acc, time.time() - started))
        if rank == 0:
            save(model, args.out, step=step)
    say("saved %s (load it in convplay: Load weights)" % args.out)
    say("result test_accuracy=%.4f test_loss=%.4f epochs=%d steps=%d processes=%d" % (test_acc, test_loss, args.epochs, step, world))
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
