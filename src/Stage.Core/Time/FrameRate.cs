namespace Stage.Core.Time;
