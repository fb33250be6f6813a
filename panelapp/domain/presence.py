"""Who was in the room for each agenda item (R2, R5).

Members arrive late and leave early. The minutes record that by item ("arrived before item 3",
"left before item 9"), not by the moment a button was pressed, because quorum, the required
roles and the members taking part are all judged per item from who was actually there.
"""

from __future__ import annotations

from dataclasses import dataclass

from panelapp.domain.errors import PanelappError


@dataclass(frozen=True)
class Presence:
    """One member's attendance at a meeting, by agenda position.

    ``arrived_before``: the first item they were in the room for (None: from the start).
    ``left_before``: the first item after they left (None: stayed to the end).
    """

    member_id: int
    present: bool
    arrived_before: int | None = None
    left_before: int | None = None

    def __post_init__(self) -> None:
        if (
            self.arrived_before is not None
            and self.left_before is not None
            and self.left_before <= self.arrived_before
        ):
            raise PanelappError(
                f"A member cannot leave before item {self.left_before} having arrived before "
                f"item {self.arrived_before}. Check the items chosen for arriving and leaving."
            )

    def in_room_for(self, position: int) -> bool:
        """True when the member was in the room while item ``position`` was taken."""
        if not self.present:
            return False
        if self.arrived_before is not None and position < self.arrived_before:
            return False
        return not (self.left_before is not None and position >= self.left_before)

    @property
    def partial(self) -> bool:
        """Present for only part of the meeting."""
        return self.present and (self.arrived_before is not None or self.left_before is not None)

    def describe(self) -> str:
        """'arrived before item 3 and left before item 9', for the minutes; '' if all along."""
        parts = []
        if self.arrived_before is not None:
            parts.append(f"arrived before item {self.arrived_before}")
        if self.left_before is not None:
            parts.append(f"left before item {self.left_before}")
        return " and ".join(parts)
