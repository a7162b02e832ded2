using System.CommandLine;
using FaceGallery.Cli.Commands;

// facegallery: each command lives in Commands/; this file is only the table of contents.
var root = new RootCommand("FaceGallery command line: embed faces locally, enroll and search against a server, check descriptors")
{
    EmbedCommand.Create(),
    EnrollCommand.Create(),
    SearchCommand.Create(),
    CheckDescriptorsCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
