using System.CommandLine;
using FaceGallery.Cli.Commands;

var root = new RootCommand("facegallery: the FaceGallery command line")
{
    CheckDescriptorsCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
