// `dotnet tune`: verbs are added by their issues (ask-tell, sweep, status, ...).
return await Tune.Pipeline.Cli.TuneCommand.RunAsync(args);
