# Cases that must fail: run by cases.sh, which checks how they fail.
{
  rejectedUnit = ./rejected-unit.nix;
}
