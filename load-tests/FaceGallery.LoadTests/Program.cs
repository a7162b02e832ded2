using System.CommandLine;
using FaceGallery.LoadTests.Commands;

var root = new RootCommand("FaceGallery load generator: drives servers over HTTP, verifies in PostgreSQL, writes reports.")
{
    RunCommand.Create(),
    CompareCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
