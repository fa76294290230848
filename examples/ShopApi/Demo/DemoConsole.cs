namespace ShopApi.Demo; internal static class DemoConsole { public static Task<int> RunAsync(bool fast, TextWriter output) => Task.FromResult(0); }
