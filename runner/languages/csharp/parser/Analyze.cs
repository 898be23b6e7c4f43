// The C# static rules of `invoke check`, read from Roslyn's syntax tree (the compiler the .NET SDK
// carries): a learner's file comes on stdin, the findings go to stdout as JSON, {"<analysis>": [[line,
// words...], ...]}, under the analysis names of runner/languages/registry.yaml. A file with syntax errors
// is read as far as Roslyn can: compiling it says what is wrong, in the compiler's own words.
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

var root = CSharpSyntaxTree.ParseText(Console.In.ReadToEnd(),
                                      new CSharpParseOptions(LanguageVersion.Preview)).GetRoot();
var findings = new Dictionary<string, List<object[]>>
{
    ["csharp-blocking-result"] = [], ["csharp-blocking-wait"] = [], ["csharp-wait-all"] = [],
    ["csharp-busy-wait"] = [], ["csharp-thread-sleep"] = [], ["csharp-async-void"] = [],
};
// Task.WaitAll and Task.WaitAny block a thread: what to await instead, and until when they block.
var awaitInstead = new Dictionary<string, (string Instead, string Until)>
{
    ["WaitAll"] = ("WhenAll", "every task has ended"), ["WaitAny"] = ("WhenAny", "one of the tasks has ended"),
};

foreach (var node in root.DescendantNodes())
{
    switch (node)
    {
        case MemberAccessExpressionSyntax { Name.Identifier.Text: "Result" } access
            when !(access.Parent is InvocationExpressionSyntax call && call.Expression == access):
            BlockingResult(access, access.Expression, "Result");
            break;
        case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "GetResult" } getResult }
            when getResult.Expression is InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "GetAwaiter" } getAwaiter,
                ArgumentList.Arguments.Count: 0,
            }:
            BlockingResult(getAwaiter, getAwaiter.Expression, "GetAwaiter().GetResult()");
            break;
        case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "Wait" } wait }:
            var shown = Shown(wait.Expression);
            // A call's result is a task (Task.WhenAll(...)); a name may be a task or a SemaphoreSlim.
            var instead = shown.EndsWith("...") ? "`await` it"
                : wait.Expression is InvocationExpressionSyntax || shown.Contains('(') ? $"`await {shown}`"
                : $"`await {shown}` (a task) or `await {shown}.WaitAsync()` (a SemaphoreSlim)";
            Add("csharp-blocking-wait", wait.OperatorToken, shown, instead);
            break;
        case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
            when IsOn(access, "Task") && awaitInstead.TryGetValue(access.Name.Identifier.Text, out var blocking):
            Add("csharp-wait-all", TypeToken(access), access.Name.Identifier.Text, blocking.Instead, blocking.Until);
            break;
        case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "Sleep" } access }
            when IsOn(access, "Thread"):
            Add("csharp-thread-sleep", TypeToken(access));
            break;
        case MethodDeclarationSyntax method when IsAsyncVoid(method.Modifiers, method.ReturnType):
            Add("csharp-async-void", method.Modifiers.First(m => m.IsKind(SyntaxKind.AsyncKeyword)));
            break;
        case LocalFunctionStatementSyntax function when IsAsyncVoid(function.Modifiers, function.ReturnType):
            Add("csharp-async-void", function.Modifiers.First(m => m.IsKind(SyntaxKind.AsyncKeyword)));
            break;
        case WhileStatementSyntax loop:
            BusyWait(loop.WhileKeyword, "while", loop.Condition, loop.Statement);
            break;
        case DoStatementSyntax loop:
            BusyWait(loop.WhileKeyword, "while", loop.Condition, loop.Statement);
            break;
        case ForStatementSyntax { Condition: null, Declaration: null, Initializers.Count: 0, Incrementors.Count: 0 } loop:
            BusyWait(loop.ForKeyword, "for", null, loop.Statement);
            break;
    }
}
Console.WriteLine(JsonSerializer.Serialize(findings));

void Add(string analysis, SyntaxToken at, params object[] words) =>
    findings[analysis].Add([at.GetLocation().GetLineSpan().StartLinePosition.Line + 1, .. words]);

static string Shown(SyntaxNode node)
{
    // As the learner wrote it (its strings too), on one line and at most 50 characters.
    var text = Regex.Replace(node.ToString(), @"\s+", " ").Trim();
    return text.Length <= 50 ? text : text[..47] + "...";
}

static string Compact(SyntaxNode node) => Regex.Replace(node.ToString(), @"\s+", "");

// `Task.X`, `System.Threading.Tasks.Task.X`: a member of the type named `type`.
static bool IsOn(MemberAccessExpressionSyntax access, string type) => access.Expression switch
{
    IdentifierNameSyntax name => name.Identifier.Text == type,
    MemberAccessExpressionSyntax qualified => qualified.Name.Identifier.Text == type,
    _ => false,
};

static SyntaxToken TypeToken(MemberAccessExpressionSyntax access) => access.Expression switch
{
    MemberAccessExpressionSyntax qualified => qualified.Name.Identifier,
    var other => other.GetFirstToken(),
};

static bool IsAsyncVoid(SyntaxTokenList modifiers, TypeSyntax returns) =>
    modifiers.Any(SyntaxKind.AsyncKeyword) && returns is PredefinedTypeSyntax { Keyword.Text: "void" };

// A loop that spins: an empty body whose condition does not await, or `while (!x.TryWrite(...))` (TryRead,
// TryTake, ...) whose body neither awaits nor sleeps.
void BusyWait(SyntaxToken keyword, string kind, ExpressionSyntax? condition, StatementSyntax body)
{
    var awaitsIn = (SyntaxNode? node) => node is not null
        && node.DescendantTokens().Any(token => token.IsKind(SyntaxKind.AwaitKeyword));
    var empty = body is EmptyStatementSyntax
        || body is BlockSyntax block && block.Statements.All(s => s is EmptyStatementSyntax or ContinueStatementSyntax);
    var spinsOnTry = condition is not null && condition.DescendantNodesAndSelf().Any(node =>
        node is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression, Operand: InvocationExpressionSyntax
        {
            Expression: MemberAccessExpressionSyntax tried,
        } } && Regex.IsMatch(tried.Name.Identifier.Text, @"^Try\w"))
        && !awaitsIn(body) && !body.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(call =>
            call.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "Sleep" }
            or IdentifierNameSyntax { Identifier.Text: "Sleep" });
    if ((empty && !awaitsIn(condition)) || spinsOnTry)
        Add("csharp-busy-wait", keyword, $"{kind} ({(condition is null ? ";;" : Shown(condition))})");
}

// `.Result` or `.GetAwaiter().GetResult()` (`what`) at `at`, on `receiver`: a finding unless the task is
// known to have ended there.
void BlockingResult(MemberAccessExpressionSyntax at, ExpressionSyntax receiver, string what)
{
    if (!KnownComplete(receiver, at, []))
        Add("csharp-blocking-result", at.OperatorToken, what, Shown(receiver));
}

// Whether the task (or collection of tasks) `receiver` is known to have ended before `at`, in the same method
// (or local function, or the top-level statements): awaited (or waited for with no timeout), in an awaited
// Task.WhenAll (or a Task.WaitAll), the winner of an awaited Task.WhenAny (or compared equal to it, where the
// comparison holds), a task that `await foreach` takes from Task.WhenEach, checked with IsCompleted, or an
// element (foreach, a lambda's parameter, an index) of a collection that is.
bool KnownComplete(ExpressionSyntax receiver, SyntaxNode at, HashSet<string> seen)
{
    while (receiver is ElementAccessExpressionSyntax element)
        receiver = element.Expression; // tasks[0]: an element of `tasks`
    var name = Compact(receiver);
    if (!Regex.IsMatch(name, @"^[\w.]+$") || !seen.Add(name))
        return false; // a call's result (`Work().Result`) is a task made there: not complete
    var scope = Scope(at);
    var before = scope.DescendantNodes().Where(node => node.SpanStart < at.SpanStart && Scope(node) == scope).ToList();
    bool Is(SyntaxNode? node) => node is not null && Compact(node) == name;
    // A mention of the name that is not a member's name (`x.tasks`): in Task.WhenAll(tasks.Select(...)) too.
    bool Mentions(SyntaxNode node) => node.DescendantNodesAndSelf().Any(part =>
        part is IdentifierNameSyntax or MemberAccessExpressionSyntax && Is(part)
        && !(part.Parent is MemberAccessExpressionSyntax parent && parent.Name == part));

    foreach (var node in before)
    {
        switch (node)
        {
            case AwaitExpressionSyntax waited when Is(Unconfigured(waited.Expression)):
                return true;
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "Wait" } wait } call
                when call.ArgumentList.Arguments.Count == 0 && Is(wait.Expression):
                return true;
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } call
                when IsOn(access, "Task") && (access.Name.Identifier.Text == "WaitAll"
                                              || access.Name.Identifier.Text == "WhenAll" && IsAwaited(call))
                     && Mentions(call.ArgumentList):
                return true;
            case MemberAccessExpressionSyntax access
                when access.Name.Identifier.Text.StartsWith("IsCompleted") && Is(access.Expression):
                return true;
            case VariableDeclaratorSyntax declared when declared.Identifier.Text == name && IsWhenAnyAwaited(declared.Initializer?.Value):
                return true;
            case AssignmentExpressionSyntax assigned when Is(assigned.Left) && IsWhenAnyAwaited(assigned.Right):
                return true;
            case ForEachStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword } each
                when each.Identifier.Text == name && each.Expression is InvocationExpressionSyntax
                {
                    Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "WhenEach" } whenEach,
                } && IsOn(whenEach, "Task"):
                return true;
        }
    }
    // The winner of an awaited Task.WhenAny, compared equal to the task: ended where the comparison holds,
    // in `await Task.WhenAny(t, delay) == t ? t.Result : 0` or `if (winner == t) ... t.Result`, and nowhere else.
    var winners = before.SelectMany(node => node switch
    {
        VariableDeclaratorSyntax declared when IsWhenAnyAwaited(declared.Initializer?.Value) => [declared.Identifier.Text],
        AssignmentExpressionSyntax assigned when IsWhenAnyAwaited(assigned.Right) => [Compact(assigned.Left)],
        _ => Array.Empty<string>(),
    }).ToHashSet();
    bool ComparesToWinner(BinaryExpressionSyntax equal) =>
        Is(equal.Right) && (winners.Contains(Compact(equal.Left)) || IsWhenAnyAwaited(equal.Left))
        || Is(equal.Left) && winners.Contains(Compact(equal.Right));
    foreach (var holds in at.Ancestors().TakeWhile(node => node != scope))
    {
        var (condition, where) = holds switch
        {
            IfStatementSyntax branch => (branch.Condition, (SyntaxNode)branch.Statement),
            ConditionalExpressionSyntax choice => (choice.Condition, choice.WhenTrue),
            _ => (null, null),
        };
        if (condition is not null && where!.Span.Contains(at.Span) && !condition.DescendantNodesAndSelf().Any(
                node => node.IsKind(SyntaxKind.LogicalOrExpression))
            && condition.DescendantNodesAndSelf().OfType<BinaryExpressionSyntax>()
                .Any(equal => equal.IsKind(SyntaxKind.EqualsExpression) && ComparesToWinner(equal)))
            return true;
    }
    // An element of a collection that has ended: `foreach (var t in tasks)`, `tasks.Select(t => t.Result)`.
    foreach (var node in before)
    {
        var parent = node switch
        {
            ForEachStatementSyntax each when each.Identifier.Text == name => each.Expression,
            SimpleLambdaExpressionSyntax lambda when lambda.Parameter.Identifier.Text == name => Receiver(lambda),
            ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters: [var only] } lambda
                when only.Identifier.Text == name => Receiver(lambda),
            _ => null,
        };
        if (parent is not null && KnownComplete(parent, at, seen))
            return true;
    }
    return false;
}

// The method, local function, accessor or top-level statements that `node` is in (a lambda is not one).
static SyntaxNode Scope(SyntaxNode node) => node.Ancestors().First(ancestor =>
    ancestor is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax
        or CompilationUnitSyntax);

// `t.ConfigureAwait(false)` is `t`, as far as awaiting goes.
static ExpressionSyntax Unconfigured(ExpressionSyntax awaited) =>
    awaited is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "ConfigureAwait" } configured }
        ? configured.Expression : awaited;

static bool IsAwaited(ExpressionSyntax call)
{
    var outer = call;
    while (outer.Parent is MemberAccessExpressionSyntax { Name.Identifier.Text: "ConfigureAwait" } member
           && member.Parent is InvocationExpressionSyntax configured)
        outer = configured;
    return outer.Parent is AwaitExpressionSyntax;
}

static bool IsWhenAnyAwaited(ExpressionSyntax? value) =>
    value is AwaitExpressionSyntax awaited && Unconfigured(awaited.Expression) is InvocationExpressionSyntax
    {
        Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "WhenAny" } whenAny,
    } && IsOn(whenAny, "Task");

// The collection a lambda is called on, as its first argument: `tasks` in `tasks.Select(t => ...)`.
static ExpressionSyntax? Receiver(LambdaExpressionSyntax lambda) =>
    lambda.Parent is ArgumentSyntax argument && argument.Parent is ArgumentListSyntax list && list.Arguments[0] == argument
    && list.Parent is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax called } ? called.Expression : null;
