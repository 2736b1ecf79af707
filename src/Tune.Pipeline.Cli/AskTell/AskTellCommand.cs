using System.CommandLine;
using Tune.Pipeline.Hosting.SpaceFiles;
using Tune.Pipeline.Samplers;

namespace Tune.Pipeline.Cli.AskTell;

/// <summary>
/// <c>tune ask-tell --space FILE --sampler NAME --seed N</c>: drives a sampler over JSON lines on stdin and stdout.
/// </summary>
internal static class AskTellCommand
{
    /// <summary>Builds the verb.</summary>
    /// <param name="input">Supplies the request stream (standard input unless a test redirects it).</param>
    /// <returns>The command.</returns>
    public static Command Create(Func<TextReader> input)
    {
        var space = new Option<string>("--space") { Description = "The search-space file (YAML or JSON): goal and parameters.", Required = true };
        var sampler = new Option<string>("--sampler") { Description = $"The sampler: {string.Join(", ", SamplerCatalog.Names)}.", DefaultValueFactory = _ => SamplerCatalog.DefaultName };
        var seed = new Option<long>("--seed") { Description = "The sweep's seed; equal seeds and requests give equal answers.", DefaultValueFactory = _ => 0 };
        var command = new Command("ask-tell", "Serve a sampler over JSON lines: {\"op\":\"ask\"}, {\"op\":\"tell\",\"trial\":0,\"value\":0.42}, {\"op\":\"best\"}.")
        {
            space,
            sampler,
            seed,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            SpaceFile file;
            ISampler chosen;
            try
            {
                file = SpaceFileParser.Load(parseResult.GetValue(space)!);
                chosen = SamplerCatalog.Create(parseResult.GetValue(sampler)!);
            }
            catch (SpaceFileException exception)
            {
                foreach (var problem in exception.Problems)
                {
                    await error.WriteLineAsync(problem).ConfigureAwait(false);
                }

                return 2;
            }
            catch (ArgumentException exception)
            {
                await error.WriteLineAsync(ArgumentMessage.Sentence(exception)).ConfigureAwait(false);
                return 2;
            }

            var session = new AskTellSession(file.Space, file.Goal, chosen, parseResult.GetValue(seed));
            await session.RunAsync(input(), output, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
