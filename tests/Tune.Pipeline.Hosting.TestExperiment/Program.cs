using Tune.Pipeline.Hosting;
using Tune.Pipeline.Hosting.TestExperiment;

return await ExperimentHost.RunAsync<QuadraticExperiment, QuadraticExperiment.Parameters>(args, QuadraticSearchSpace.Instance);
