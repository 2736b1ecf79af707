namespace Tune.Pipeline.Stores;

/// <summary>
/// Represents one tracking event waiting in a store's outbox: written in the same transaction as the change it
/// describes, read by a forwarder (MLflow) and marked delivered once the tracking server has it.
/// </summary>
/// <param name="Id">The message's identifier, increasing in write order within one writer.</param>
/// <param name="SweepName">The sweep the event belongs to.</param>
/// <param name="TrialNumber">The trial the event belongs to, if any.</param>
/// <param name="Kind">The event's kind: <c>sweep</c>, <c>trial</c> or <c>step</c>.</param>
/// <param name="Payload">The event as a JSON object.</param>
/// <param name="CreatedAt">When the event was written.</param>
public sealed record OutboxMessage(long Id, string SweepName, int? TrialNumber, string Kind, string Payload, DateTimeOffset CreatedAt);
