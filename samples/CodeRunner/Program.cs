Console.WriteLine("CodeRunner");
