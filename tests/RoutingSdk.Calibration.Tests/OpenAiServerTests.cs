using System.ClientModel;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using OpenAI;
using RoutingSdk.Testing;

namespace RoutingSdk.Calibration.Tests;

/// <summary>The local OpenAI-compatible test server, through the real OpenAI client library.</summary>
public sealed class OpenAiServerTests
{
    private const string Models = """
        { "models": { "echo": { "answer": "hello there", "promptTokens": 7, "completionTokens": 2, "logprob": -0.25 } } }
        """;

    private static IChatClient Client(OpenAiServerProcess server, string model)
        => new OpenAI.Chat.ChatClient(model, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = server.BaseUrl }).AsIChatClient();

    [Fact]
    public async Task Streams_the_answer_and_its_usage()
    {
        using var server = await OpenAiServerProcess.StartAsync(Models);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client(server, "echo").GetStreamingResponseAsync("hi")) updates.Add(update);
        var response = updates.ToChatResponse();
        Assert.Equal("hello there", response.Text);
        Assert.Equal(7, response.Usage?.InputTokenCount);
        Assert.Equal(2, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task An_unknown_model_is_404_and_the_process_stops_on_dispose()
    {
        int id;
        using (var server = await OpenAiServerProcess.StartAsync(Models))
        {
            id = server.ProcessId;
            var error = await Assert.ThrowsAsync<ClientResultException>(() => Client(server, "nope").GetResponseAsync("hi"));
            Assert.Equal(404, error.Status);
            Assert.Contains("model_not_found", error.Message);
        }

        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(id));
    }
}
