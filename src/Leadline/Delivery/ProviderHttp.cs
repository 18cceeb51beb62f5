namespace Leadline.Delivery;

/// <summary>One request to a provider's HTTP API, with a timeout or an unreachable server as a transient failure.</summary>
public static class ProviderHttp
{
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string provider, CancellationToken ct)
    {
        try
        {
            return await client.SendAsync(request, ct);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new DeliveryException($"{provider} did not answer within {client.Timeout.TotalSeconds:0} s", permanent: false, inner: e);
        }
        catch (HttpRequestException e)
        {
            throw new DeliveryException($"{provider} could not be reached: {e.Message}", permanent: false, inner: e);
        }
    }
}
