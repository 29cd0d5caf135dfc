using Vellum.Core;
using Vellum.Core.Claims;
using Vellum.Node.Attestation;
using Vellum.Node.Replication;
using Vellum.Node.Sequencing;
using Vellum.Node.Setup;
using Vellum.Storage;

namespace Vellum.Node;

/// <summary>What the request handlers share: the ledger, its writer, the node's material and settings.</summary>
internal sealed class NodeContext(NodeOptions options, NodeMaterial material, Ledger ledger, Replica replica, Sequencer sequencer, CommitEvidenceDeriver evidence, ClaimSecretDeriver claimSecrets, Core.Encryption.LedgerKeyring? keyring = null)
{
    public NodeOptions Options { get; } = options;

    public NodeMaterial Material { get; } = material;

    public Ledger Ledger { get; } = ledger;

    public Replica Replica { get; } = replica;

    public Sequencer Sequencer { get; } = sequencer;

    public CommitTracker Commits => Sequencer.Commits;

    public CommitEvidenceDeriver Evidence { get; } = evidence;

    public ClaimSecretDeriver ClaimSecrets { get; } = claimSecrets;

    /// <summary>A private ledger's secrets, which seal and open its application writes; null for a public ledger.</summary>
    public Core.Encryption.LedgerKeyring? Keyring { get; } = keyring;

    public IAttestationPlatform Attestation { get; } = VirtualAttestationPlatform.Instance;

    /// <summary>The primary's membership changes; set once the node knows its own addresses.</summary>
    public Cluster.ClusterAdmission? Admission { get; set; }

    /// <summary>The consortium's members and proposals, kept in the ledger; set once at start.</summary>
    public Governance.GovernanceLedger Governance { get; set; } = null!;

    /// <summary>The ledger's changes of service identity; set once at start.</summary>
    public Recovery.ServiceHistory Services { get; set; } = null!;

    /// <summary>A private ledger's secret records, which grow the keyring as they apply; set once at start.</summary>
    public Governance.SecretsLedger Secrets { get; set; } = null!;

    /// <summary>A private ledger's recovery shares, dealt into the ledger; set once at start.</summary>
    public Governance.RecoveryDealer Recovery { get; set; } = null!;

    /// <summary>The scheduled backup (<see cref="NodeOptions.BackupDirectory"/>); null when none was asked for. Set once at start.</summary>
    public Backup.BackupScheduler? ScheduledBackup { get; set; }

    /// <summary>Set once the node serves; cleared when it stops.</summary>
    public bool Ready { get; set; }
}
