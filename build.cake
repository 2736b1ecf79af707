// Entry point for `dotnet cake`: the targets live in build/*.cake.
#load "build/targets.cake"
