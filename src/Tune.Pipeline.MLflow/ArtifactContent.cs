using System.Net;

namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Streams an artifact from the caller's stream without disposing it, from the same position on every attempt, so
/// that a retried upload sends the same bytes and the caller still owns the stream.
/// </summary>
internal sealed class ArtifactContent : HttpContent
{
    private readonly Stream _source;
    private readonly long _start;

    public ArtifactContent(Stream source, long start)
    {
        _source = source;
        _start = start;
        Headers.ContentType = new("application/octet-stream");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (_source.CanSeek)
        {
            _source.Position = _start;
        }

        await _source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _source.CanSeek ? _source.Length - _start : 0;
        return _source.CanSeek;
    }
}
