using Stage.Cli;

return StageCli.Run(args, Console.Out, Console.Error);
