"""``stoplicht manifest <platform>``: write the app package to upload to a platform.

One Typer sub-app, one command per platform: ``teams`` writes a zip package, ``slack`` prints
the manifest YAML (for Slack's "Create an app from a manifest").
"""

from __future__ import annotations

from pathlib import Path

import typer

from bot.cli import common

manifest_app = typer.Typer(
    help="Write the app package/manifest for a chat platform.", no_args_is_help=True
)


OutOption = typer.Option(Path("stoplicht-teams.zip"), "--out", help="Zip file to write.")


@manifest_app.command("teams")
@common.handles_errors
def teams(
    app_id: str = typer.Option(..., "--app-id", help="The bot's Microsoft App ID (a GUID)."),
    out: Path = OutOption,
    teams_app_id: str | None = typer.Option(
        None, "--teams-app-id", help="Teams app id, if not the same as --app-id."
    ),
    domain: str | None = typer.Option(None, "--domain", help="The bot's public host name."),
    graph: bool = typer.Option(
        False, "--graph", help="Add webApplicationInfo (Graph installs for roster users)."
    ),
    version: str | None = typer.Option(None, "--version", help="App package version (x.y.z)."),
) -> None:
    """Fill the ids into manifest/teams/manifest.json and zip it with the icons."""
    from bot.teams.manifest import ManifestError, build_manifest, write_package

    try:
        manifest = build_manifest(
            app_id=app_id, teams_app_id=teams_app_id, domain=domain, graph=graph, version=version
        )
    except ManifestError as exc:
        raise common.CliError(str(exc)) from exc
    written = write_package(manifest, out)
    typer.echo(str(written))


@manifest_app.command("slack")
@common.handles_errors
def slack(
    url: str = typer.Option(..., "--url", help="The bot's public base URL, https://HOST."),
) -> None:
    """Print manifest/slack/manifest.yml with the request and redirect URLs filled in."""
    from bot.slack.manifest import render

    try:
        text = render(url)
    except ValueError as exc:
        raise common.CliError(str(exc)) from exc
    typer.echo(text, nl=False)


def register(app: typer.Typer) -> None:
    app.add_typer(manifest_app, name="manifest")
