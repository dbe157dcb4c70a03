"""model.dropout: the training network's dropout keeps 1 - p of the values, scaled by 1 / (1 - p),
zeroes the rest, is the identity outside training, and repeats under the same seed. Needs
python3-torch (installed by setup-training.sh); skipped where only the runtime's packages are."""
import unittest

try:
    import torch
except ImportError:  # the platform's own test machine needs no torch
    torch = None


@unittest.skipIf(torch is None, "python3-torch is not installed (bash training/visemes/setup-training.sh)")
class DropoutTest(unittest.TestCase):
    def setUp(self):
        from model import dropout
        self.dropout = dropout

    def test_keeps_one_minus_p_and_rescales(self):
        torch.manual_seed(1)
        x = torch.full((8, 128, 501), 2.0)  # an odd element count: the last 64-bit draw is partly used
        for p in (0.1, 0.3):
            y = self.dropout(x, p, True)
            kept = y != 0
            self.assertAlmostEqual(kept.float().mean().item(), 1 - p, delta=0.005)
            torch.testing.assert_close(y[kept], torch.full_like(y[kept], 2.0 / (1 - p)))
            self.assertEqual(y.shape, x.shape)

    def test_identity_when_not_training_or_p_zero(self):
        x = torch.randn(2, 4, 10)
        self.assertIs(self.dropout(x, 0.1, False), x)
        self.assertIs(self.dropout(x, 0.0, True), x)

    def test_same_seed_same_mask_and_masks_differ_between_calls(self):
        x = torch.ones(4, 16, 100)
        torch.manual_seed(5)
        a, b = self.dropout(x, 0.1, True), self.dropout(x, 0.1, True)
        torch.manual_seed(5)
        self.assertTrue(torch.equal(a, self.dropout(x, 0.1, True)))
        self.assertFalse(torch.equal(a, b))

    def test_gradient_flows_through_kept_values_only(self):
        torch.manual_seed(2)
        x = torch.randn(3, 8, 50, requires_grad=True)
        y = self.dropout(x, 0.2, True)
        y.sum().backward()
        torch.testing.assert_close(x.grad, (y != 0).float() / 0.8)


if __name__ == "__main__":
    unittest.main()
