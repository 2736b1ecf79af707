using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using Tune.Pipeline;

namespace DigitsGpu;

/// <summary>The handwritten digits (8x8 grey levels 0..16 and the digit), parsed once per agent and split once for every trial.</summary>
internal sealed class DigitsData
{
    /// <summary>Gets the pixels per image.</summary>
    public const int Features = 64;

    /// <summary>Gets the number of classes (digits).</summary>
    public const int Classes = 10;

    // Fixed for every sweep so that trials are compared on the same validation rows; a trial's seed drives only training.
    private const long SplitSeed = 20261205;

    private DigitsData(float[] features, int[] labels, int[] train, int[] validation, string fingerprint)
    {
        AllFeatures = features;
        AllLabels = labels;
        Train = train;
        Validation = validation;
        ValidationLabels = [.. validation.Select(r => labels[r])];
        Fingerprint = fingerprint;
    }

    /// <summary>Gets every row's features, scaled to 0..1, row-major.</summary>
    public float[] AllFeatures { get; }

    /// <summary>Gets every row's digit.</summary>
    public int[] AllLabels { get; }

    /// <summary>Gets the training rows' indexes (three quarters).</summary>
    public int[] Train { get; }

    /// <summary>Gets the validation rows' indexes.</summary>
    public int[] Validation { get; }

    /// <summary>Gets the validation rows' digits, in <see cref="Validation"/>'s order.</summary>
    public int[] ValidationLabels { get; }

    /// <summary>Gets the SHA-256 of the data file.</summary>
    public string Fingerprint { get; }

    public int Rows => AllLabels.Length;

    /// <summary>Scales grey levels 0..16 to 0..1, the network's input.</summary>
    public static float[] Scale(ReadOnlySpan<float> greyLevels)
    {
        var scaled = new float[greyLevels.Length];
        for (var i = 0; i < scaled.Length; i++)
        {
            scaled[i] = greyLevels[i] / 16f;
        }

        return scaled;
    }

    /// <summary>Reads the gzipped CSV (65 integers a line, no header) and splits it.</summary>
    public static DigitsData Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        using var reader = new StreamReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress));
        var features = new List<float>();
        var labels = new List<int>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split(',');
            if (cells.Length != Features + 1)
            {
                throw new InvalidDataException($"{path}: line {lineNumber} has {cells.Length} values; each line holds {Features} grey levels and the digit.");
            }

            for (var i = 0; i < Features; i++)
            {
                features.Add(float.Parse(cells[i], CultureInfo.InvariantCulture) / 16f);
            }

            labels.Add(int.Parse(cells[Features], CultureInfo.InvariantCulture));
        }

        var order = Enumerable.Range(0, labels.Count).ToArray();
        var random = new SeededRandom(SplitSeed);
        random.Shuffle(order);
        var validationCount = labels.Count / 4;
        return new DigitsData([.. features], [.. labels], order[validationCount..], order[..validationCount], Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
