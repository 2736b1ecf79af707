using Tune.Pipeline.Launcher;

return await CliLauncher.RunAsync(args, Environment.CurrentDirectory);
