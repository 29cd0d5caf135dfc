using System.CommandLine;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum member</c>: the consortium's commands, each in its own file, calling a node's <c>/gov</c>
/// endpoints as a member (its certificate presented in TLS). See docs/governance.md.
/// </summary>
internal static class MemberCommand
{
    public static Command Create() =>
        new("member", "Govern a ledger as one of its members: list the members (list), propose a change (propose), vote on it (vote), withdraw it (withdraw), show proposals (proposals), or give a recovering node this member's recovery share (submit-share).")
        {
            MemberListCommand.Create(),
            MemberProposeCommand.Create(),
            MemberVoteCommand.Create(),
            MemberWithdrawCommand.Create(),
            MemberProposalsCommand.Create(),
            MemberSubmitShareCommand.Create(),
        };
}
