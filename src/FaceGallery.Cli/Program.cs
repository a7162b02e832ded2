using System.CommandLine;
using FaceGallery.Cli.Commands;

// facegallery: each command lives in Commands/; this file is only the table of contents.
var root = new RootCommand("FaceGallery command line: embed, aggregate, enroll, search, eval and check descriptors")
{
    EmbedCommand.Create(),
    AggregateCommand.Create(),
    EnrollCommand.Create(),
    SearchCommand.Create(),
    EvalCommand.Create(),
    CheckDescriptorsCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
