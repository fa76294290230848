using Microsoft.AspNetCore.Mvc;

namespace MemoryContracts.Tests.AspNetCore;

[ApiController]
[Route("mvc/attributed")]
[MemoryContract("catalog")]
public sealed class AttributedCatalogController : ControllerBase
{
    [HttpGet]
    public string Get() => TestApp.Module(HttpContext);

    [HttpGet("checkout")]
    [MemoryContract("checkout")]
    public string Checkout() => TestApp.Module(HttpContext);

    [HttpGet("never-shed")]
    [DisableMemoryShedding]
    public string NeverShed() => TestApp.Module(HttpContext);
}

[ApiController]
[Route("mvc/convention")]
public sealed class ConventionController : ControllerBase
{
    [HttpGet]
    public string Get() => TestApp.Module(HttpContext);
}

[ApiController]
[Route("catalog/mvc")]
public sealed class RoutedCatalogController : ControllerBase
{
    [HttpGet]
    public string Get() => TestApp.Module(HttpContext);
}
