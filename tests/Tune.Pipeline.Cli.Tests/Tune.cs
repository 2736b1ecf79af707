namespace Tune.Pipeline.Cli.Tests;

/// <summary>Runs the real `tune` entry point in process, over string writers.</summary>
internal static class Tune
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await TuneCommand.RunAsync(args, new StringReader(string.Empty), output, error);
        return (code, output.ToString(), error.ToString());
    }
}
