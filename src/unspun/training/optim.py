"""The one optimisation recipe every unspun model is fine-tuned with (techniques, quotes, claims).

AdamW with the freshly initialised head at 10x the encoder's learning rate, a 6% linear warm-up then linear decay
to zero, and gradient clipping at 1.0: the usual recipe for fine-tuning a small BERT, kept in one place so the
models are trained alike and a change reaches all of them.
"""

from __future__ import annotations


def make_optimizer(encoder_params, head_params, lr: float, total_steps: int):
    """(optimizer, scheduler) for `total_steps` steps."""
    import torch

    optim = torch.optim.AdamW(
        [{"params": list(encoder_params), "lr": lr}, {"params": list(head_params), "lr": lr * 10}], weight_decay=0.01
    )
    warmup = max(1, int(0.06 * total_steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda step: min((step + 1) / warmup, max(0.0, (total_steps - step) / max(1, total_steps - warmup)))
    )
    return optim, sched


def step(model, optim, sched, loss) -> float:
    """One update: backward, clip, step the optimizer and the schedule. Returns the loss value."""
    import torch

    optim.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optim.step()
    sched.step()
    return loss.item()
