using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Tune.Pipeline.Stores;

namespace Tune.Pipeline.Hosting.Tests;

/// <summary>
/// A corpus of malformed sweep files and option values, each run through the real experiment executable: every one
/// must exit 2 within 5 s with a located message and no stack trace, echo no secret, and record no sweep.
/// </summary>
public sealed partial class MalformedInputTests : IDisposable
{
    private const string Secret = "S3cretVa1ue";
    private static readonly string LongValue = new('x', 5000);
    private static readonly Dictionary<string, Case> Cases = CreateCases().ToDictionary(c => c.Name, StringComparer.Ordinal);
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-malformed-").FullName;

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Sweep_MalformedInput_ExitsTwoWithALocatedMessageAndRecordsNothing(string name)
    {
        var input = Cases[name];
        var arguments = new List<string> { "sweep", "--store", "tune.db", "--no-publish" };
        if (input.File is not null)
        {
            await File.WriteAllBytesAsync(Path.Combine(_directory, "sweep.yaml"), input.File, Ct);
            arguments.AddRange(["--config", "sweep.yaml"]);
        }

        arguments.AddRange(input.Arguments);
        var watch = Stopwatch.StartNew();

        var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, null, [.. arguments]);

        watch.Stop();
        Assert.True(exitCode == ExperimentHost.UsageError, $"exit {exitCode}{Environment.NewLine}{error}");
        // Refused without waiting on anything (no retry, no hang); not a speed target. The bound leaves room for a
        // process start on a loaded 2-core machine, where 5 s was seen to be too tight.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", error, StringComparison.Ordinal);
        foreach (var expected in input.Expected)
        {
            Assert.Contains(expected, error, StringComparison.Ordinal);
        }

        if (input.File is not null && !input.Arguments.Contains("--config"))
        {
            Assert.Matches(Located(), error);
        }

        foreach (var secret in new[] { Secret, LongValue })
        {
            Assert.DoesNotContain(secret, output + error, StringComparison.Ordinal);
        }

        await AssertNoSweepRecordedAsync();
    }

    private async Task AssertNoSweepRecordedAsync()
    {
        var path = Path.Combine(_directory, "tune.db");
        if (!File.Exists(path))
        {
            return;
        }

        var store = SweepStores.Open(path, TimeProvider.System);
        await using (store)
        {
            Assert.Empty(await store.ListSweepsAsync(Ct));
        }
    }

    [GeneratedRegex(@"sweep\.yaml:\d+:\d+: ")]
    private static partial Regex Located();

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Bytes(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static Case Text(string name, string text, params string[] expected) => new(name, Utf8(text), [], expected);

    private static Case Raw(string name, byte[] bytes, params string[] expected) => new(name, bytes, [], expected);

    private static Case Arguments(string name, string[] arguments, params string[] expected) => new(name, null, arguments, expected);

    private static IEnumerable<Case> CreateCases()
    {
        // Syntax.
        yield return Text("unclosed-flow-mapping", "budget: {max-trials: 3", "sweep.yaml:2:1: the sweep file is not valid YAML or JSON");
        yield return Text("unclosed-flow-sequence", "agents: {gpu: {devices: [0, 1", "not valid YAML or JSON");
        yield return Text("unclosed-quote", "sampler: \"tpe\n", "not valid YAML or JSON");
        yield return Text("bad-indentation", "budget:\n  max-trials: 3\n max-retries: 1\n", "not valid YAML or JSON");
        yield return Text("tab-indentation", "budget:\n\tmax-trials: 3\n", "not valid YAML or JSON");
        yield return Text("duplicate-key", "seed: 1\nseed: 2\n", "not valid YAML or JSON");
        yield return Text("unknown-alias", "seed: *nothing\n", "not valid YAML or JSON");
        yield return Text("json-unclosed", "{\"seed\": 1, \"budget\": {\"max-trials\": 3}", "not valid YAML or JSON");
        yield return Text("root-scalar", "just some words\n", "the sweep file must be a mapping");
        yield return Text("root-sequence", "- sampler\n- tpe\n", "the sweep file must be a mapping");

        // Keys and types.
        yield return Text("unknown-top-key", "samplr: tpe\n", "unknown key 'samplr' (did you mean 'sampler'?)");
        yield return Text("unknown-budget-key", "budget: {max-trails: 3}\n", "unknown key 'budget.max-trails' (did you mean 'max-trials'?)");
        yield return Text("unknown-sampler", "sampler: tpee\n", "'sampler' is 'tpee' (did you mean 'tpe'?)");
        yield return Text("seed-not-a-number", "seed: forty-two\n", "'seed' is 'forty-two'");
        yield return Text("seed-overflow", "seed: 99999999999999999999999\n", "'seed' is '99999999999999999999999'");
        yield return Text("max-trials-word", "budget: {max-trials: many}\n", "'budget.max-trials' is 'many'");
        yield return Text("max-trials-fraction", "budget: {max-trials: 2.5}\n", "'budget.max-trials' is '2.5'");
        yield return Text("max-trials-overflow", "budget: {max-trials: 3000000000}\n", "'budget.max-trials' is '3000000000'");
        yield return Text("retrain-not-bool", "retrain: yes\n", "'retrain' is 'yes'; use true or false.");
        yield return Text("target-nan", "budget: {target-value: .nan}\n", "'budget.target-value'");
        yield return Text("target-infinite", "budget: {target-value: 1e999}\n", "'budget.target-value' is '1e999'; use a finite number");
        yield return Text("budget-scalar", "budget: 5\n", "'budget' must be a mapping");
        yield return Text("gpu-agents", "agents: {gpu: {devices: [0]}}\n", "'agents.gpu.devices' asks for GPU agents, which needs the Tune.Pipeline.Gpu package");
        yield return Text("gpu-trials-per-device-zero", "agents: {gpu: {devices: all, trials-per-device: 0}}\n", "'agents.gpu.trials-per-device' is '0'");
        yield return Text("unknown-policy", "early-stopping: {policy: asha}\n", "'early-stopping.policy' is 'asha'");
        yield return Text("policy-foreign-key", "early-stopping: {policy: median, slack-factor: 0.1}\n", "unknown key 'early-stopping.slack-factor'");
        yield return Text("policy-interval-zero", "early-stopping: {policy: median, evaluation-interval: 0}\n", "sweep.yaml:1:17: 'early-stopping': MedianStoppingPolicyOptions.EvaluationInterval is 0; it must be at least 1.");
        yield return Text("bandit-both-slacks", "early-stopping: {policy: bandit, slack-factor: 0.1, slack-amount: 0.2}\n", "'early-stopping': BanditPolicyOptions needs exactly one of SlackFactor and SlackAmount.");
        yield return Text("bandit-no-slack", "early-stopping: bandit\n", "'early-stopping': BanditPolicyOptions needs exactly one");
        yield return Text("halving-factor-one", "early-stopping: {policy: successive-halving, reduction-factor: 1, min-resource: 5, max-resource: 2}\n", "ReductionFactor is 1; it must be at least 2.", "MaxResource is 2, below MinResource 5.");
        yield return Text("truncation-overflow", "early-stopping: {policy: truncation, truncation-percentage: 5000000000}\n", "'early-stopping.truncation-percentage' is '5000000000'");
        yield return Text("store-scheme", "store: mysql://db\n", "'store' is 'mysql://db'");
        yield return Text("tracking-scheme", "tracking: {mlflow: ftp://mlflow}\n", "'tracking.mlflow' is 'ftp://mlflow'");
        yield return Text("publish-enabled-not-bool", "publish: {enabled: maybe}\n", "'publish.enabled' is 'maybe'");
        yield return Text("override-unknown-parameter", "space: {Y: {type: uniform, min: 0, max: 1}}\n", "space override 'Y' is not a parameter");
        yield return Text("override-widens", "space: {X: {type: uniform, min: -5, max: 1}}\n", "'X'");
        yield return Text("override-unknown-type", "space: {X: {type: uniformm, min: 0, max: 1}}\n", "has type 'uniformm' (did you mean 'uniform'?)");

        // Ranges: the options' own rules, located at the file's key.
        yield return Text("max-trials-zero", "budget: {max-trials: 0}\n", "'budget.max-trials' is 0; it must be at least 1.");
        yield return Text("max-concurrent-too-many", "budget: {max-concurrent-trials: 99999}\n", "'budget.max-concurrent-trials' is 99999; it must be between 1 and 4096.");
        yield return Text("max-retries-negative", "budget: {max-retries: -1}\n", "'budget.max-retries' is -1; it must be between 0 and 100.");
        yield return Text("max-retries-too-many", "budget: {max-retries: 101}\n", "'budget.max-retries' is 101");
        yield return Text("no-improvement-zero", "budget: {max-trials-without-improvement: 0}\n", "'budget.max-trials-without-improvement' is 0");
        yield return Text("threads-zero", "agents: {cpu: {threads-per-trial: 0}}\n", "'agents.cpu.threads-per-trial' is 0");
        yield return Text("slot-groups-zero", "agents: {cpu: {slot-groups: 0}}\n", "'agents.cpu.slot-groups' is '0'");
        yield return Text("slot-groups-too-many", "agents: {cpu: {slot-groups: 100000}}\n", "'agents.cpu.slot-groups' is 100000, more local agents than this machine can run", "--force");
        yield return Text("every-range-at-once", "budget: {max-trials: 0, max-retries: -1, max-concurrent-trials: 0}\n", "'budget.max-trials' is 0", "'budget.max-retries' is -1", "'budget.max-concurrent-trials' is 0");

        // Durations.
        yield return Text("duration-overflow-hours", "budget: {max-duration: 99999999999h}\n", "'budget.max-duration' is '99999999999h'", "at most 49 days");
        yield return Text("duration-exponent", "budget: {trial-timeout: 1e300s}\n", "'budget.trial-timeout' is '1e300s'");
        yield return Text("duration-over-limit", "budget: {max-duration: 50d}\n", "'budget.max-duration' is '50d'");
        yield return Text("duration-zero", "budget: {trial-timeout: 0s}\n", "'budget.trial-timeout' is '0s'");
        yield return Text("duration-negative", "budget: {max-duration: -5m}\n", "'budget.max-duration' is '-5m'");
        yield return Text("duration-clock-max", "budget: {max-duration: \"10675199.02:48:05.4775807\"}\n", "'budget.max-duration'");
        yield return Text("duration-word", "budget: {max-duration: soon}\n", "'budget.max-duration' is 'soon'");

        // Command-line values, and both sources at once.
        yield return Arguments("lease-timeout-exponent", ["--lease-timeout", "1e300s"], "'1e300s' is not a positive duration");
        yield return Arguments("lease-timeout-hours-overflow", ["--lease-timeout", "99999999999h"], "'99999999999h' is not a positive duration");
        yield return Arguments("lease-timeout-timespan-max", ["--lease-timeout", "10675199.02:48:05.4775807"], "is not a positive duration");
        yield return Arguments("max-trials-zero-option", ["--max-trials", "0"], "--max-trials is 0; it must be at least 1.");
        yield return Arguments("max-trials-word-option", ["--max-trials", "many"], "--max-trials");
        yield return Arguments("max-concurrent-option", ["--max-concurrent-trials", "5000"], "--max-concurrent-trials is 5000");
        yield return Arguments("max-retries-option", ["--max-retries", "-1"], "--max-retries is -1");
        yield return Arguments("threads-option", ["--threads-per-trial", "0"], "--threads-per-trial is 0");
        yield return Arguments("agents-negative", ["--agents", "-1"], "--agents is -1");
        yield return Arguments("agents-too-many", ["--agents", "100000"], "--agents is 100000, more local agents than this machine can run", "--force");
        yield return Arguments("sampler-option", ["--sampler", "tpee"], "--sampler is 'tpee', which is not a sampler. Did you mean 'tpe'?");
        yield return Arguments("missing-file", ["--config", "missing.yaml"], "missing.yaml: the sweep file does not exist");
        yield return Arguments("config-is-a-directory", ["--config", "."], "the sweep file does not exist");
        yield return new Case("file-and-options", Utf8("budget: {max-trials: 0}\n"), ["--max-retries", "-1"], ["'budget.max-trials' is 0", "--max-retries is -1"]);

        // Depth, aliases, size.
        yield return Text("deep-flow", "seed: " + new string('[', 60_000) + new string(']', 60_000) + "\n", "nests more than 64 levels");
        yield return Text("deep-block-mappings", string.Concat(Enumerable.Range(0, 100).Select(i => new string(' ', i * 2) + "a:\n")) + new string(' ', 200) + "b: 1\n", "nests more than 64 levels");
        yield return Text("deep-block-sequences", string.Concat(Enumerable.Repeat("- ", 100)) + "x\n", "nests more than 64 levels");
        yield return Text("billion-laughs", string.Join('\n', BillionLaughs()), "holds more than 100,000 values");
        yield return Text("alias-fan-out", "a: &a [" + string.Join(',', Enumerable.Repeat("x", 1000)) + "]\nb: [" + string.Join(',', Enumerable.Repeat("*a", 200)) + "]\n", "holds more than 100,000 values");
        yield return Text("too-many-values", "space: [" + string.Join(',', Enumerable.Repeat("1", 120_000)) + "]\n", "holds more than 100,000 values");
        yield return Text("too-large", "# " + new string('-', 100) + "\n" + string.Concat(Enumerable.Repeat("#" + new string(' ', 1023) + "\n", 1100)), "may be at most 1,048,576 bytes");
        yield return Text("long-value", "sampler: " + LongValue + "\n", "'sampler' is 'xxxx", "(5,000 characters)");
        yield return Text("long-key", "? " + LongValue + "\n: 1\n", "unknown key 'xxxx", "(5,000 characters)");

        // Encodings and binary data.
        yield return Raw("utf16-le-bom", Bytes([0xFF, 0xFE], Encoding.Unicode.GetBytes("seed: 1\n")), "is UTF-16", "save it as UTF-8");
        yield return Raw("utf16-be-bom", Bytes([0xFE, 0xFF], Encoding.BigEndianUnicode.GetBytes("seed: 1\n")), "is UTF-16");
        yield return Raw("utf16-le-no-bom", Encoding.Unicode.GetBytes("seed: 1\n"), "looks like UTF-16");
        yield return Raw("utf32-le-bom", Bytes([0xFF, 0xFE, 0x00, 0x00], Encoding.UTF32.GetBytes("seed: 1\n")), "is UTF-32");
        yield return Raw("invalid-utf8", Bytes(Utf8("seed: 1\nsampler: t"), [0xC3, 0x28], Utf8("pe\n")), "sweep.yaml:2:", "is not UTF-8 text");
        yield return Raw("lone-continuation-byte", Bytes(Utf8("seed: "), [0x80], Utf8("\n")), "is not UTF-8 text");
        yield return Raw("overlong-utf8", Bytes(Utf8("sampler: "), [0xC0, 0xAF], Utf8("\n")), "is not UTF-8 text");
        yield return Raw("utf8-bom-then-mistake", Bytes([0xEF, 0xBB, 0xBF], Utf8("samplr: tpe\n")), "sweep.yaml:1:1: unknown key 'samplr' (did you mean 'sampler'?)");
        yield return Raw("nul-byte", Bytes(Utf8("seed: 1\nsampler: tpe"), [0x00], Utf8("\n")), "sweep.yaml:2:13: the sweep file holds a NUL byte");
        yield return Raw("control-character", Bytes(Utf8("seed: "), [0x01], Utf8("1\n")), "the control character U+0001");
        yield return Raw("png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52], "sweep.yaml:1:1:", "UTF-8");
        yield return Raw("gzip", [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], "sweep.yaml:1:", "is not UTF-8 text");

        // Several documents.
        yield return Text("two-documents", "sampler: tpe\n---\nseed: 2\n", "sweep.yaml:2:1: the sweep file holds more than one YAML document");
        yield return Text("explicit-documents", "---\nsampler: tpe\n...\n---\nseed: 1\n", "holds more than one YAML document");
        yield return Text("document-end-then-more", "seed: 1\n...\nsampler: tpe\n", "holds more than one YAML document");

        // Secrets: refused, never echoed.
        yield return Text("credential-variable-connection-string", $"publish: {{azure: {{container: m, credential-variable: \"DefaultEndpointsProtocol=https;AccountName=a;AccountKey={Secret}\"}}}}\n", "'publish.azure.credential-variable' is not an environment variable's name");
        yield return Text("credential-variable-sas-url", $"publish: {{azure: {{container: m, credential-variable: \"https://a.blob.core.windows.net/m?sv=2022&sig={Secret}\"}}}}\n", "'publish.azure.credential-variable'");
        yield return Text("connection-string-key", $"publish: {{azure: {{container: m, connection-string: \"AccountKey={Secret}\"}}}}\n", "'publish.azure.connection-string' would put a secret in the sweep file");
        yield return Text("account-key", $"publish: {{azure: {{container: m, account-key: {Secret}}}}}\n", "'publish.azure.account-key' would put a secret");
        yield return Text("store-password", $"store: postgresql://tuner:{Secret}@db/tune\n", "'store' holds a password");
        yield return Text("tracking-password", $"tracking: {{mlflow: \"https://user:{Secret}@mlflow.example.com\"}}\n", "'tracking.mlflow' holds a user, password, token or query");
        yield return Text("service-uri-sas", $"publish: {{azure: {{service-uri: \"https://a.blob.core.windows.net/?sig={Secret}\"}}}}\n", "'publish.azure.service-uri' holds");
        yield return Text("secret-as-key", $"\"AccountKey={Secret}\": 1\n", "unknown key (a value that may hold a secret, not shown)");
        yield return Text("secret-as-sampler", $"sampler: \"Password={Secret};\"\n", "'sampler' is (a value that may hold a secret, not shown)");
        yield return Arguments("secret-as-sampler-option", ["--sampler", $"Password={Secret};"], "--sampler is (a value that may hold a secret, not shown)");
        yield return Arguments("secret-as-lease-timeout", ["--lease-timeout", $"token={Secret}"], "(a value that may hold a secret, not shown) is not a positive duration");
    }

    // Nine levels of nine aliases: 9^9 values once expanded, a few hundred bytes written.
    private static IEnumerable<string> BillionLaughs()
    {
        yield return "a0: &a0 [x, x, x, x, x, x, x, x, x]";
        for (var i = 1; i < 9; i++)
        {
            yield return $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]";
        }
    }

    private sealed record Case(string Name, byte[]? File, string[] Arguments, string[] Expected);
}
