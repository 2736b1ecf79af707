using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BreastCancer;

/// <summary>The Wisconsin diagnostic breast cancer data, loaded once per agent and split once for every trial.</summary>
internal sealed class BreastCancerData
{
    // The split is fixed for the whole sweep so that trials are compared on the same validation rows;
    // the trial's own seed only drives the trainer.
    private const int SplitSeed = 20241123;

    private BreastCancerData(MLContext ml, IDataView all, IDataView train, IDataView validation, string fingerprint, int rows)
    {
        Ml = ml;
        All = all;
        Train = train;
        Validation = validation;
        Fingerprint = fingerprint;
        Rows = rows;
        var validationRows = ml.Data.CreateEnumerable<Row>(validation, reuseRowObject: false).ToList();
        ValidationFeatures = [.. validationRows.Select(r => r.Features)];
        ValidationLabels = [.. validationRows.Select(r => r.Label)];
    }

    public MLContext Ml { get; }

    public IDataView All { get; }

    public IDataView Train { get; }

    public IDataView Validation { get; }

    /// <summary>Gets the validation rows' features, in <see cref="Validation"/>'s order, for scoring boosting stages.</summary>
    public IReadOnlyList<float[]> ValidationFeatures { get; }

    /// <summary>Gets the validation rows' labels, in <see cref="Validation"/>'s order.</summary>
    public IReadOnlyList<bool> ValidationLabels { get; }

    /// <summary>Gets a SHA-256 of the data file, recorded with published models.</summary>
    public string Fingerprint { get; }

    public int Rows { get; }

    public static BreastCancerData Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var lines = System.Text.Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines[0].Split(',');
        var featureCount = int.Parse(header[1], CultureInfo.InvariantCulture);
        var rows = lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            return new Row
            {
                Features = [.. cells.Take(featureCount).Select(c => float.Parse(c, CultureInfo.InvariantCulture))],
                Label = cells[featureCount] == "1",
            };
        }).ToList();

        var ml = new MLContext(seed: SplitSeed);
        var all = ml.Data.LoadFromEnumerable(rows);
        var split = ml.Data.TrainTestSplit(all, testFraction: 0.25, seed: SplitSeed);
        return new BreastCancerData(ml, all, split.TrainSet, split.TestSet, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), rows.Count);
    }

    internal sealed class Row
    {
        [VectorType(30)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }
}
