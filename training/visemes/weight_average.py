"""Weight averaging over the last epochs (stochastic weight averaging, Izmailov et al. 2018).

The mean of the weights at the end of several late epochs sits nearer the middle of a
flat region of the loss than any one epoch does, which tends to generalise better to
inputs unlike the training data (here: voices never heard) at no inference cost, since
the averaged network has the same shape. BatchNorm statistics are not averaged: they
belong to the averaged weights, so they are measured again with one pass over the
training batches (refresh_batchnorm).
"""
import torch


class WeightAverage:
    """Running mean of a network's floating-point parameters and buffers."""

    def __init__(self):
        self.sum, self.count = None, 0

    def add(self, net):
        state = {k: v.detach().double().clone() for k, v in net.state_dict().items() if v.dtype.is_floating_point}
        if self.sum is None:
            self.sum = state
        else:
            for k, v in state.items():
                self.sum[k] += v
        self.count += 1

    def copy_into(self, net):
        """Load the mean into net (in place); non-float entries (BatchNorm batch counters) are left as they are."""
        if not self.count:
            raise ValueError("no weights added to the average")
        own = net.state_dict()
        for k, v in self.sum.items():
            own[k].copy_((v / self.count).to(own[k].dtype))


def refresh_batchnorm(net, batches):
    """Re-estimate every BatchNorm's running mean and variance as the plain average over `batches`
    (x, y pairs; y unused), in training mode without gradients; restores the layers' momentum."""
    bns = [m for m in net.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    momenta = [m.momentum for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative average instead of an exponential one
    was_training = net.training
    net.train()
    device = next(net.parameters()).device
    with torch.no_grad():
        for x, _ in batches:
            net(x.to(device))
    for m, mom in zip(bns, momenta):
        m.momentum = mom
    net.train(was_training)
