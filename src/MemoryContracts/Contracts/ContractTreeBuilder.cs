using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MemoryContracts;

/// <summary>
/// Builds the contract's YAML tree from YamlDotNet's event parser, never recursively, refusing hostile
/// input as it reads: nesting deeper than <see cref="ContractLimits.MaxDepth"/>, documents that stand for
/// more than <see cref="ContractLimits.MaxNodes"/> nodes once aliases are counted (an alias is resolved by
/// reference, never copied, but counts as the size of its anchor), scalars longer than
/// <see cref="ContractLimits.MaxScalarLength"/>, tags, several documents and duplicate keys.
/// </summary>
internal static partial class ContractTreeBuilder
{
    /// <summary>Returns the root node, or <see langword="null"/> for an empty document.</summary>
    public static ContractNode? Build(string yaml, string? filePath)
    {
        var frames = new Stack<Frame>();
        var anchors = new Dictionary<string, ContractNode>(StringComparer.Ordinal);
        ContractNode? root = null;
        var documents = 0;
        var expanded = 0;
        var last = new ContractMark(1, 1);
        var parser = new Parser(new StringReader(yaml));

        while (true)
        {
            ParsingEvent current;
            try
            {
                if (!parser.MoveNext())
                {
                    break;
                }

                current = parser.Current!;
            }
            catch (YamlException e)
            {
                throw new MemoryContractException($"malformed YAML: {StripLocation(e.Message)}", CurrentPath(frames), ContractMark.From(e.Start).Line, ContractMark.From(e.Start).Column, filePath, e);
            }
            catch (ArgumentException e)
            {
                // YamlDotNet's scanner lets char.ConvertToUtf32/ConvertFromUtf32 throw for some escapes of a
                // double-quoted scalar: a low surrogate before a high one ("\uDE00\uD83D"), a high one before
                // a character that is not a low one ("\uD800\u0041"), a code point past U+10FFFF ("\UFFFFFFFF").
                throw new MemoryContractException("malformed YAML: a \\u or \\U escape in a quoted value names no Unicode character (a surrogate out of its pair, or past U+10FFFF)", CurrentPath(frames), last.Line, last.Column, filePath, e);
            }
            catch (InvalidOperationException e)
            {
                // YamlDotNet's scanner throws this for some unterminated flow collections.
                throw new MemoryContractException("malformed YAML: an unterminated '[' or '{' collection, or a value the YAML scanner cannot read", CurrentPath(frames), last.Line, last.Column, filePath, e);
            }

            var mark = ContractMark.From(current.Start);
            last = mark;
            switch (current)
            {
                case DocumentStart:
                    if (++documents > 1)
                    {
                        throw new MemoryContractException("the contract must be a single YAML document, but a second one starts here", null, mark.Line, mark.Column, filePath);
                    }

                    break;

                case Scalar scalar:
                    RefuseTag(scalar, frames, filePath);
                    if (scalar.Value.Length > ContractLimits.MaxScalarLength)
                    {
                        throw new MemoryContractException($"a value of {scalar.Value.Length.ToString(CultureInfo.InvariantCulture)} characters is over the limit of {ContractLimits.MaxScalarLength.ToString(CultureInfo.InvariantCulture)}", CurrentPath(frames), mark.Line, mark.Column, filePath);
                    }

                    var node = new ContractScalar(scalar.Value, scalar.Style is not ScalarStyle.Plain, mark);
                    Count(ref expanded, 1, frames, mark, filePath);
                    Remember(anchors, scalar, node);
                    root = Attach(frames, root, node, filePath) ?? root;
                    break;

                case AnchorAlias alias:
                    if (!anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        throw new MemoryContractException($"the alias '*{ContractScalar.Shorten(alias.Value.Value)}' refers to no anchor defined before it", CurrentPath(frames), mark.Line, mark.Column, filePath);
                    }

                    Count(ref expanded, target.ExpandedSize, frames, mark, filePath);
                    root = Attach(frames, root, target, filePath) ?? root;
                    break;

                case MappingStart or SequenceStart:
                    RefuseTag((NodeEvent)current, frames, filePath);
                    if (frames.Count >= ContractLimits.MaxDepth)
                    {
                        throw new MemoryContractException($"the YAML is nested more than {ContractLimits.MaxDepth.ToString(CultureInfo.InvariantCulture)} levels deep", CurrentPath(frames), mark.Line, mark.Column, filePath);
                    }

                    Count(ref expanded, 1, frames, mark, filePath);
                    ContractNode collection = current is MappingStart ? new ContractMapping(mark) : new ContractSequence(mark);
                    frames.Push(new Frame(collection, ChildPath(frames), ((NodeEvent)current).Anchor));
                    break;

                case MappingEnd or SequenceEnd:
                    var done = frames.Pop();
                    if (!done.Anchor.IsEmpty)
                    {
                        anchors[done.Anchor.Value] = done.Node;
                    }

                    root = Attach(frames, root, done.Node, filePath) ?? root;
                    break;
            }
        }

        return root;
    }

    private static void Remember(Dictionary<string, ContractNode> anchors, NodeEvent node, ContractNode built)
    {
        if (!node.Anchor.IsEmpty)
        {
            anchors[node.Anchor.Value] = built;
        }
    }

    private static void Count(ref int expanded, int size, Stack<Frame> frames, ContractMark mark, string? filePath)
    {
        expanded += size;
        if (expanded > ContractLimits.MaxNodes)
        {
            throw new MemoryContractException($"the document stands for more than {ContractLimits.MaxNodes.ToString(CultureInfo.InvariantCulture)} values once its aliases are expanded (an alias bomb?); a contract needs far fewer", CurrentPath(frames), mark.Line, mark.Column, filePath);
        }
    }

    private static void RefuseTag(NodeEvent node, Stack<Frame> frames, string? filePath)
    {
        if (!node.Tag.IsEmpty)
        {
            var mark = ContractMark.From(node.Start);
            throw new MemoryContractException($"YAML tags ('{ContractScalar.Shorten(node.Tag.Value)}') are not supported in a contract", CurrentPath(frames), mark.Line, mark.Column, filePath);
        }
    }

    /// <summary>Attaches a finished node to the open collection; returns it when it is the root.</summary>
    private static ContractNode? Attach(Stack<Frame> frames, ContractNode? root, ContractNode node, string? filePath)
    {
        if (frames.Count == 0)
        {
            return root is null ? node : null;
        }

        var parent = frames.Peek();
        if (parent.Node is ContractSequence sequence)
        {
            sequence.Add(node);
            return null;
        }

        var mapping = (ContractMapping)parent.Node;
        if (parent.PendingKey is null)
        {
            if (node is not ContractScalar key)
            {
                throw new MemoryContractException($"a key must be a plain name, not {node.Describe()}", parent.Path, node.Mark.Line, node.Mark.Column, filePath);
            }

            if (mapping.FindKey(key.Value) is { } first)
            {
                throw new MemoryContractException($"the key '{ContractScalar.Shorten(key.Value)}' appears twice in this mapping (first at line {first.Mark.Line.ToString(CultureInfo.InvariantCulture)})", Join(parent.Path, key.Value), key.Mark.Line, key.Mark.Column, filePath);
            }

            parent.PendingKey = key;
        }
        else
        {
            mapping.Add(parent.PendingKey, node);
            parent.PendingKey = null;
        }

        return null;
    }

    /// <summary>The dotted path of the node about to be read, for error messages.</summary>
    private static string? CurrentPath(Stack<Frame> frames) => frames.Count == 0 ? null : ChildPath(frames) ?? frames.Peek().Path;

    private static string? ChildPath(Stack<Frame> frames)
    {
        if (frames.Count == 0)
        {
            return null;
        }

        var parent = frames.Peek();
        return parent.Node switch
        {
            ContractSequence sequence => $"{parent.Path}[{sequence.Items.Count.ToString(CultureInfo.InvariantCulture)}]",
            _ when parent.PendingKey is { } key => Join(parent.Path, key.Value),
            _ => parent.Path,
        };
    }

    internal static string Join(string? parent, string key)
    {
        var shown = ContractScalar.Shorten(key);
        return string.IsNullOrEmpty(parent) ? shown : $"{parent}.{shown}";
    }

    private static string StripLocation(string message) => LocationPrefix().Replace(message, string.Empty);

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex LocationPrefix();

    private sealed class Frame(ContractNode node, string? path, AnchorName anchor)
    {
        public ContractNode Node { get; } = node;

        public string? Path { get; } = path;

        public AnchorName Anchor { get; } = anchor;

        public ContractScalar? PendingKey { get; set; }
    }
}
