using System.Net;
using MemoryContracts.Tests.Infrastructure;
using MemoryContracts.Tests.Propagation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.LoadReporting;

/// <summary>The middleware counts every request, every 5xx and every request it sheds, once.</summary>
public sealed class RequestCountingTests
{
    private static MemoryContract Contract() => new()
    {
        Version = "v7.3",
        Modules =
        [
            new ModuleContract { Name = "catalog", Routes = ["/catalog"] },
            new ModuleContract { Name = "checkout", Core = true, Routes = ["/checkout"] },
        ],
    };

    [Fact]
    public async Task Middleware_ShedAndServedRequests_CountsEachRequestAndEachShedOnce()
    {
        using var services = PropagationTestServices.Build(Contract());
        var pipeline = new ApplicationBuilder(services);
        pipeline.UseMemoryContracts();
        pipeline.Run(context =>
        {
            context.Response.StatusCode = context.Request.Path == "/checkout/fail" ? 503 : 200;
            return Task.CompletedTask;
        });
        var app = pipeline.Build();
        services.Publish(PressureLevel.Critical, usagePercent: 99, shedFraction: 1, contractVersion: "v7.3");

        var statuses = new List<int>();
        foreach (var path in (string[])["/catalog/1", "/catalog/2", "/checkout/1", "/checkout/fail", "/catalog/3"])
        {
            var context = new DefaultHttpContext { RequestServices = services };
            var response = new CompletingResponseFeature();
            context.Features.Set<IHttpResponseFeature>(response);
            context.Request.Path = path;
            await app(context);
            response.Complete();
            statuses.Add(context.Response.StatusCode);
        }

        var tally = services.GetRequiredService<RequestTally>();
        Assert.Equal([429, 429, 200, 503, 429], statuses);
        Assert.Equal(5, tally.Requests);
        Assert.Equal(4, tally.Errors);
    }

    [Fact]
    public async Task Middleware_AsynchronousAndThrowingHandlers_CountsTheStatusTheResponseCompletesWith()
    {
        using var services = PropagationTestServices.Build(Contract());
        var gate = new TaskCompletionSource();
        var pipeline = new ApplicationBuilder(services);
        pipeline.UseMemoryContracts();
        pipeline.Run(context =>
        {
            // Still running when it returns to the middleware: the status is only known at completion.
            context.Response.StatusCode = context.Request.Path == "/checkout/slow-fail" ? 503 : 200;
            return gate.Task;
        });
        var asynchronous = pipeline.Build();
        var throwing = new ApplicationBuilder(services);
        throwing.UseMemoryContracts();
        throwing.Run(_ => throw new InvalidOperationException("boom"));
        var throws = throwing.Build();
        var tally = services.GetRequiredService<RequestTally>();

        async Task<int> Send(RequestDelegate app, string path)
        {
            gate = new TaskCompletionSource();
            var context = new DefaultHttpContext { RequestServices = services };
            var response = new CompletingResponseFeature();
            context.Features.Set<IHttpResponseFeature>(response);
            context.Request.Path = path;
            try
            {
                var running = app(context);
                Assert.False(running.IsCompleted);
                gate.SetResult();
                await running;
            }
            catch (InvalidOperationException)
            {
                // What the server does for an exception the application did not handle.
                context.Response.StatusCode = 500;
            }

            Assert.Equal(1, response.Pending);
            response.Complete();
            return context.Response.StatusCode;
        }

        Assert.Equal(200, await Send(asynchronous, "/checkout/slow"));
        Assert.Equal(503, await Send(asynchronous, "/checkout/slow-fail"));
        Assert.Equal(500, await Send(throws, "/checkout/1"));
        Assert.Equal((3, 2), tally.Totals);
    }

    [Fact]
    public async Task Kestrel_ServerErrorsAndUnhandledExceptions_CountedAsErrors()
    {
        await using var service = await KestrelTestService.StartAsync(
            Contract(),
            mapRoutes: app =>
            {
                app.MapGet("/checkout/ok", () => Results.Text("ok"));
                app.MapGet("/checkout/unavailable", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
                app.MapGet("/checkout/throws", IResult () => throw new InvalidOperationException("boom"));
                app.MapGet("/checkout/missing", () => Results.NotFound());
            });
        var tally = service.Services.GetRequiredService<RequestTally>();
        using var http = new HttpClient { BaseAddress = service.BaseAddress };

        var statuses = new List<HttpStatusCode>();
        foreach (var path in (string[])["/checkout/ok", "/checkout/unavailable", "/checkout/throws", "/checkout/missing", "/checkout/ok"])
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        // Kestrel runs the completion callbacks after the response is sent: wait (bounded) for them.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (tally.Errors < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.InternalServerError, HttpStatusCode.NotFound, HttpStatusCode.OK], statuses);
        Assert.Equal(5, tally.Requests);
        Assert.Equal(2, tally.Errors);
    }
}
