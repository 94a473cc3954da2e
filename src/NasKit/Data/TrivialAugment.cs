using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torchvision.transforms.functional;

namespace NasKit.Data;

/// <summary>
/// TrivialAugment (Müller &amp; Hutter, ICCV 2021) in torchvision's <c>TrivialAugmentWide</c> form: each image gets one
/// operation drawn uniformly from 14, at a strength drawn uniformly from 31 bins (signed operations flip sign with
/// probability 1/2). The image operations are TorchVision's; only the draws are ours, from the caller's seeded
/// generator, so an augmented epoch is reproducible (torchvision's transform draws from torch's global generator).
/// Translations are in pixels up to 32, as in torchvision whatever the image size; saturation ("Color") leaves a
/// one-channel image unchanged, as torchvision does. TorchVision's colour operations for .NET assume three channels,
/// so a one-channel image goes through them as three equal channels and comes back as the first (a grey image stays
/// grey under every one of them).
/// </summary>
public static class TrivialAugment
{
    public const int MagnitudeBins = 31;

    public enum Op { Identity, ShearX, ShearY, TranslateX, TranslateY, Rotate, Brightness, Color, Contrast, Sharpness, Posterize, Solarize, AutoContrast, Equalize }

    /// <summary>One draw: the operation and its signed magnitude (torchvision's augmentation space for 31 bins).</summary>
    public static (Op Op, double Magnitude) Draw(Random rng)
    {
        var op = (Op)rng.Next(14);
        int bin = rng.Next(MagnitudeBins);
        double t = bin / (double)(MagnitudeBins - 1);
        (double magnitude, bool signed) = op switch
        {
            Op.ShearX or Op.ShearY or Op.Brightness or Op.Color or Op.Contrast or Op.Sharpness => (0.99 * t, true),
            Op.TranslateX or Op.TranslateY => (32.0 * t, true),
            Op.Rotate => (135.0 * t, true),
            Op.Posterize => (8 - Math.Round(bin / ((MagnitudeBins - 1) / 6.0), MidpointRounding.ToEven), false),
            Op.Solarize => (255.0 * (1 - t), false),
            _ => (0.0, false),
        };
        if (signed && rng.Next(2) == 1) magnitude = -magnitude;
        return (op, magnitude);
    }

    /// <summary>Applies a drawn operation to one image of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/> bytes.</summary>
    public static byte[] Apply(ReadOnlySpan<byte> image, int channels, int height, int width, Op op, double magnitude)
    {
        if (op == Op.Identity || (op == Op.Color && channels == 1)) return image.ToArray();
        using var scope = NewDisposeScope();
        var img = tensor(image.ToArray(), [channels, height, width], dtype: ScalarType.Byte);
        if (channels == 1) img = img.expand(3, height, width).contiguous();
        float m = (float)magnitude;
        var result = op switch
        {
            Op.ShearX => F.affine(img, angle: 0f, translate: [0, 0], scale: 1f, shear: [(float)(180 / Math.PI * Math.Atan(m)), 0f], fill: 0f),
            Op.ShearY => F.affine(img, angle: 0f, translate: [0, 0], scale: 1f, shear: [0f, (float)(180 / Math.PI * Math.Atan(m))], fill: 0f),
            Op.TranslateX => F.affine(img, angle: 0f, translate: [(int)m, 0], scale: 1f, shear: [0f, 0f], fill: 0f),
            Op.TranslateY => F.affine(img, angle: 0f, translate: [0, (int)m], scale: 1f, shear: [0f, 0f], fill: 0f),
            Op.Rotate => F.rotate(img, m),
            Op.Brightness => F.adjust_brightness(img, 1 + magnitude),
            Op.Color => F.adjust_saturation(img, 1 + magnitude),
            Op.Contrast => F.adjust_contrast(img, 1 + magnitude),
            Op.Sharpness => F.adjust_sharpness(img, 1 + magnitude),
            Op.Posterize => F.posterize(img, (int)magnitude),
            Op.Solarize => F.solarize(img, magnitude),
            Op.AutoContrast => F.autocontrast(img),
            Op.Equalize => F.equalize(img),
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
        if (channels == 1) result = result[..1];
        return result.to_type(ScalarType.Byte).contiguous().data<byte>().ToArray();
    }
}
