using System.Text.Json;

namespace Leadline.Jobs;

/// <summary>
/// What the worker knows of a handler: the kind it runs, and how to run a claimed row. The row's payload is read
/// into the handler's own payload type here, once, so a handler never sees JSON, and a payload that cannot be read
/// fails permanently (retrying the same bytes cannot help).
/// </summary>
public abstract class JobDispatch
{
    public abstract string Kind { get; }

    public abstract Task RunAsync(Job job, CancellationToken ct);

    public static JobDispatch For<TPayload>(IJobHandler<TPayload> handler) where TPayload : class, IJobPayload =>
        new Typed<TPayload>(handler);

    private sealed class Typed<TPayload>(IJobHandler<TPayload> handler) : JobDispatch where TPayload : class, IJobPayload
    {
        public override string Kind => TPayload.Kind;

        public override Task RunAsync(Job job, CancellationToken ct)
        {
            TPayload? payload;
            try
            {
                payload = Json.Deserialize<TPayload>(job.Payload);
            }
            catch (JsonException e)
            {
                throw new PermanentJobFailure($"the payload of this {TPayload.Kind} job is not a {typeof(TPayload).Name}: {e.Message}", e);
            }
            return handler.RunAsync(job, payload ?? throw new PermanentJobFailure($"the payload of this {TPayload.Kind} job is empty"), ct);
        }
    }
}
