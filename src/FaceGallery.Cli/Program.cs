using System.CommandLine;
using FaceGallery.Cli.Commands;

var root = new RootCommand("FaceGallery command line: embed, aggregate, enroll, search and eval.")
{
    AggregateCommand.Create(),
    EvalCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
