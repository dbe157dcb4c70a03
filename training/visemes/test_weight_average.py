"""weight_average: the mean of several networks' weights is their element-wise mean (parameters and
float buffers; BatchNorm batch counters untouched), an empty average refuses to load, and
refresh_batchnorm measures each BatchNorm's statistics again as the plain average over the given
batches, restoring momentum and the train/eval mode. Needs python3-torch (setup-training.sh);
skipped where only the runtime's packages are."""
import unittest

try:
    import torch
except ImportError:  # the platform's own test machine needs no torch
    torch = None


@unittest.skipIf(torch is None, "python3-torch is not installed (bash training/visemes/setup-training.sh)")
class WeightAverageTest(unittest.TestCase):
    def setUp(self):
        from model import VisemeNet
        from weight_average import WeightAverage, refresh_batchnorm
        self.net = lambda seed: (torch.manual_seed(seed), VisemeNet(channels=8, dilations=[1, 2]))[1]
        self.WeightAverage, self.refresh = WeightAverage, refresh_batchnorm

    def test_mean_of_three_networks(self):
        nets = [self.net(s) for s in (1, 2, 3)]
        for i, n in enumerate(nets):
            n.inp_bn.running_mean.fill_(float(i))  # a float buffer is averaged too
            n.inp_bn.num_batches_tracked.fill_(10 * (i + 1))
        avg = self.WeightAverage()
        for n in nets:
            avg.add(n)
        out = self.net(9)
        out.inp_bn.num_batches_tracked.fill_(7)
        avg.copy_into(out)
        for k, v in out.state_dict().items():
            if v.dtype.is_floating_point:
                torch.testing.assert_close(v, sum(n.state_dict()[k] for n in nets) / 3, msg=k)
        torch.testing.assert_close(out.inp_bn.running_mean, torch.full((8,), 1.0))
        self.assertEqual(out.inp_bn.num_batches_tracked.item(), 7)

    def test_adding_later_does_not_change_what_was_added(self):
        net, avg = self.net(1), self.WeightAverage()
        before = net.head.weight.detach().clone()
        avg.add(net)
        with torch.no_grad():
            net.head.weight.add_(1.0)
        out = self.net(2)
        avg.copy_into(out)
        torch.testing.assert_close(out.head.weight, before)

    def test_empty_average_refuses(self):
        with self.assertRaises(ValueError):
            self.WeightAverage().copy_into(self.net(1))

    def test_refresh_batchnorm_is_plain_average_and_restores_mode(self):
        net = self.net(4)
        net.eval()
        torch.manual_seed(0)
        xs = [torch.randn(2, 30, 40) * 2 + 3 for _ in range(3)]
        self.refresh(net, ((x, None) for x in xs))
        self.assertFalse(net.training)
        self.assertEqual(net.inp_bn.momentum, 0.1)
        # the input BatchNorm sees the input conv's output: its mean over all batches is the plain mean of
        # the per-batch means (equal-sized batches)
        with torch.no_grad():
            pre = [net.inp(torch.nn.functional.pad(((x - net.mean) / net.std).transpose(1, 2), (2, 0))) for x in xs]
        expect = torch.stack([p.mean((0, 2)) for p in pre]).mean(0)
        torch.testing.assert_close(net.inp_bn.running_mean, expect, rtol=1e-4, atol=1e-5)
        self.assertEqual(net.inp_bn.num_batches_tracked.item(), 3)


if __name__ == "__main__":
    unittest.main()
